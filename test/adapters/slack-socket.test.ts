import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topPapers } from '../../src/votes/leaderboard.js';
import { eventCallback, reactionEvent } from '../fakes/slack-requests.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { type SlackHarness, slackHarness } from './slack-harness.js';

let database: TestDatabase;
let slack: SlackHarness;

beforeEach(async () => {
  database = await createTestDatabase();
  await seedSamplePapers(database.db);
  slack = await slackHarness(database.db, { mode: 'socket' });
});

afterEach(async () => {
  await slack.close();
  await database.destroy();
});

describe('Slack Socket Mode', () => {
  it('leaves a reaction unacknowledged while the vote cannot be written, and counts it once on redelivery', async () => {
    await slack.command('digest', 'U1');
    const ts = slack.sent().find((m) => m.kind === 'reply')?.messageId ?? '';
    const event = eventCallback(reactionEvent('added', 'rocket', 'UALICE', ts));

    await database.db.execute(sql`alter table votes rename to votes_offline`);
    const failed = await slack.deliver(event, { ackWithinMs: 1000 });
    await database.db.execute(sql`alter table votes_offline rename to votes`);
    expect(failed.ok).toBe(false);

    expect((await slack.deliver(event, { retryNum: 1 })).ok).toBe(true);
    expect((await slack.deliver(event, { retryNum: 2 })).ok).toBe(true);
    const top = await topPapers(database.db, slack.workspace, 'all', new Date());
    expect(top.map((e) => e.votes)).toEqual([1]);
  });

  it('runs a pressed button as a command and answers in place', async () => {
    await slack.press('top all', 'U2');
    const answer = slack.api.responses.at(-1)?.body;
    expect(String(answer?.text)).toMatch(/No votes yet/);
  });

  it('authenticates with the bot token and opens the socket with the app token', async () => {
    const auth = slack.api.callsOf('auth.test')[0];
    const open = slack.api.callsOf('apps.connections.open')[0];
    expect(auth?.authorization).toBe('Bearer xoxb-test-token');
    expect(open?.authorization).toBe('Bearer xapp-1-test');
  });
});
