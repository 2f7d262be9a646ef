import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_SCOPES, slackManifest } from '../../adapters/slack/manifest.js';
import { queryRows } from '../../db/client.js';
import { commandTable } from '../../src/commands/table.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { readable, type SlackHarness, slackHarness, slackUserId } from './slack-harness.js';

/** A session on Slack: buttons with live counts, an .ics invite in the pick's thread, mentions. */
describe('Slack sessions', () => {
  let database: TestDatabase;
  let slack: SlackHarness;

  beforeEach(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
    slack = await slackHarness(database.db, { mode: 'http' });
  });
  afterEach(async () => {
    await slack.close();
    await database.destroy();
  });

  const tick = (iso: string) => slack.tickAt(new Date(`${iso}Z`));
  const lastAnswer = () => slack.sent().at(-1)?.text ?? '';

  /** Sessions set (the slash text escaped as Slack sends it), votes cast; then the ballot and the pick. */
  const upToThePick = async () => {
    await tick('2026-12-07T10:00');
    await slack.command('session fri 15:00 UTC weekly', 'ada', { admin: true });
    await slack.command('presenters add <@UADA|ada> <@UBOB|bob>', 'ada', { admin: true });
    expect(lastAnswer()).toMatch(/Added <@UADA>, <@UBOB> to the rotation/);
    await slack.command('session where <https://meet.example.org/journal-club>', 'ada', { admin: true });
    expect(lastAnswer()).toMatch(/^Sessions meet at https:\/\/meet\.example\.org\/journal-club\./);
    await slack.command('digest', 'ada');
    const papers = slack.sent().filter((m) => m.kind === 'reply');
    await slack.react(papers[0]!.messageId!, '👍', 'ada');
    await slack.react(papers[0]!.messageId!, '👍', 'bob');
    await slack.react(papers[1]!.messageId!, '👍', 'cy');
    await slack.react(papers[2]!.messageId!, '👍', 'dee');
    await tick('2026-12-09T15:01');
    const ballot = slack.sent().find((m) => m.kind === 'post' && /Which paper/.test(m.text));
    return { ballot };
  };

  it('asks for files:write and escaped mentions in its manifest', () => {
    expect(BOT_SCOPES).toContain('files:write');
    const manifest = slackManifest({ commands: commandTable }) as {
      features: { slash_commands: { should_escape: boolean }[] };
    };
    expect(manifest.features.slash_commands[0]?.should_escape).toBe(true);
  });

  it('counts ballot buttons on the ballot itself, and RSVP buttons on the pick', async () => {
    const { ballot } = await upToThePick();
    await slack.ballotVote(ballot!.messageId!, 2, 'cy');
    expect(lastAnswer()).toMatch(/^You voted for 2:/);
    const updated = slack.api.callsOf('chat.update').at(-1);
    expect(updated?.args.ts).toBe(ballot?.messageId);
    expect(readable(updated!.args)).toMatch(/Vote 2 \(1\)/);

    await tick('2026-12-10T09:01');
    const pick = slack.sent().find((m) => m.kind === 'post' && /Next session/.test(m.text));
    expect(readable(slack.api.callsOf('chat.update').at(-1)!.args)).toMatch(/Closed\. The pick:/);
    await slack.press(`rsvp going s1`, 'cy');
    expect(lastAnswer()).toMatch(/You're going to the session on Fri 11 Dec 15:00/);
    const rsvp = slack.api.callsOf('chat.update').at(-1);
    expect(rsvp?.args.ts).toBe(pick?.messageId);
    expect(readable(rsvp!.args)).toMatch(/Going \(1\)/);
    expect(readable(rsvp!.args)).toContain('presented by <@UADA>');
  });

  it('puts an .ics invite for the session in the pick’s thread', async () => {
    await upToThePick();
    await tick('2026-12-10T09:01');
    const pick = slack.sent().find((m) => m.kind === 'post' && /Next session/.test(m.text));
    const [complete] = slack.api.callsOf('files.completeUploadExternal');
    expect(complete?.args.thread_ts).toBe(pick?.messageId);
    const [file] = [...slack.api.uploads.values()];
    const ics = file!.bytes.toString('utf8');
    expect(file?.filename).toMatch(/^papers-session-\d+\.ics$/);
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('DTSTART:20261211T150000Z\r\n');
    expect(ics).toContain('DTEND:20261211T160000Z\r\n');
    expect(ics).toContain('LOCATION:https://meet.example.org/journal-club\r\n');
    expect(ics).toMatch(/SUMMARY:Reading group: /);
    // Ticking again does not upload it twice.
    await tick('2026-12-10T09:02');
    expect(slack.api.callsOf('files.completeUploadExternal')).toHaveLength(1);
  });

  it('goes on without the invite, and says why, when the app lacks files:write', async () => {
    await upToThePick();
    slack.api.fail('files.getUploadURLExternal', { kind: 'error', error: 'missing_scope' });
    await tick('2026-12-10T09:01');
    const pick = slack.sent().find((m) => m.kind === 'post' && /Next session/.test(m.text));
    const note = slack.sent().find((m) => m.kind === 'reply' && /files:write/.test(m.text));
    expect(note?.threadId).toBe(pick?.messageId);
    await tick('2026-12-10T15:01');
    expect(slack.sent().filter((m) => m.kind === 'reply' && /^Tomorrow at 15:00/.test(m.text))).toHaveLength(
      1,
    );
    expect(slack.api.callsOf('files.getUploadURLExternal')).toHaveLength(1);
  });

  it('refuses a presenter Slack does not know, and changes nothing', async () => {
    await tick('2026-12-07T10:00');
    await slack.command('session fri 15:00 UTC', 'ada', { admin: true });
    slack.api.strangers.add('UZED');
    await slack.command('presenters add <@UZED|zed>', 'ada', { admin: true });
    expect(lastAnswer()).toMatch(/<@UZED> is not a member of this workspace/);
    expect(await queryRows(database.db, sql`select 1 from presenters`)).toEqual([]);
    expect(slackUserId('ada')).toBe('UADA');
  });
});
