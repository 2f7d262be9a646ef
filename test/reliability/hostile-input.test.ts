import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { type SlackHarness, slackHarness } from '../adapters/slack-harness.js';
import { eventCallback, formBody, reactionEvent, slashCommand } from '../fakes/slack-requests.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** What an attacker or a broken proxy can send to the public Slack endpoint: refused or ignored, nothing written. */
describe('hostile input through the real Slack HTTP receiver', () => {
  let database: TestDatabase;
  let slack: SlackHarness;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
    slack = await slackHarness(database.db, { mode: 'http' });
  });
  afterAll(async () => {
    await slack.close();
    await database.destroy();
  });

  const written = async () =>
    (
      await queryRows<{ posts: number; votes: number; shares: number; channels: number }>(
        database.db,
        sql`select (select count(*)::int from posts) as posts, (select count(*)::int from votes) as votes,
                   (select count(*)::int from shares) as shares, (select count(*)::int from channels) as channels`,
      )
    )[0];

  it('refuses or ignores every one of them and writes nothing', async () => {
    const before = await written();
    const reaction = JSON.stringify(
      eventCallback(reactionEvent('added', '+1', 'UMALLORY', '1760000000.000100')),
    );
    const command = formBody(slashCommand('digest', 'UMALLORY', slack.api.responseUrl()));
    const attempts: [string, Promise<Response>][] = [
      ['forged signature', slack.postRaw(reaction, { secret: 'f'.repeat(32) })],
      [
        'forged command',
        slack.postRaw(command, { secret: 'f'.repeat(32), contentType: 'application/x-www-form-urlencoded' }),
      ],
      [
        'replayed after 10 minutes',
        slack.postRaw(reaction, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      ],
      [
        'oversized body (5 MB)',
        slack.postRaw(JSON.stringify({ type: 'event_callback', junk: 'x'.repeat(5_000_000) })),
      ],
      ['malformed JSON', slack.postRaw('{"type":"event_callback","event":{')],
      [
        'unknown event type',
        slack.postRaw(JSON.stringify(eventCallback({ type: 'pin_added', user: 'U1', item: {} }))),
      ],
      [
        'event with no event',
        slack.postRaw(JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1' })),
      ],
      ['reaction on a message the bot never posted', slack.postRaw(reaction)],
      ['empty body', slack.postRaw('')],
    ];
    const results: string[] = [];
    for (const [name, attempt] of attempts) {
      const status = await attempt.then(
        (r) => r.status,
        (err: Error) => `connection ${err.message}`,
      );
      results.push(`${name}: ${status}`);
    }
    console.log(results.join('\n'));
    for (const line of results) expect(line).not.toMatch(/: 5\d\d$/);
    expect(results.slice(0, 3).every((r) => r.endsWith(': 401'))).toBe(true);
    expect(await written()).toEqual(before);
  });
});
