import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import type { ChannelRef, UserRef } from '../../src/domain/types.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { type Delivered, MemoryAdapter } from '../fakes/memory-adapter.js';
import { fakeClock, seedSamplePapers, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** A workspace whose members are ada, bob, cy and dee: anyone else is no member. */
class LabAdapter extends MemoryAdapter {
  async findMember(_channel: ChannelRef, mention: string): Promise<UserRef | null> {
    const name = /^@(\w+)$/.exec(mention)?.[1];
    return name && ['ada', 'bob', 'cy', 'dee'].includes(name) ? { id: name, name, isAdmin: false } : null;
  }
}

const channel: ChannelRef = { platform: 'console', workspaceId: 'console', channelId: 'papers' };
// Monday 7 Dec 2026; sessions on Fridays at 15:00 UTC.
const at = (iso: string) => new Date(`${iso}Z`);

describe('reading-group sessions', () => {
  let database: TestDatabase;
  let adapter: LabAdapter;
  let handlers: InboundHandlers;
  const clock = fakeClock(at('2026-12-07T10:00'));
  let scheduler: Scheduler;

  beforeEach(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
    adapter = new LabAdapter();
    clock.set(at('2026-12-07T10:00'));
    const deps = testCoreDeps(database.db, { clock });
    handlers = createHandlers(deps, adapter);
    scheduler = new Scheduler({
      db: database.db,
      log: deps.log,
      clock,
      instanceId: deps.instanceId,
      adapters: [adapter],
      catchUpMs: 3 * 3_600_000,
    });
  });
  afterEach(() => database.destroy());

  const say = async (text: string, options: { user?: string; admin?: boolean } = {}) => {
    await sendCommand(handlers, adapter, text, { admin: true, ...options });
    return adapter.responses().at(-1) ?? '';
  };
  const tick = async (iso: string) => {
    clock.set(at(iso));
    await scheduler.tick(clock.now());
  };
  const posted = (since = 0) => adapter.delivered.slice(since).filter((d) => d.kind !== 'response');
  const textOf = (d: Delivered) => (d.message.kind === 'text' ? d.message.text : d.message.kind);
  const rows = async () =>
    queryRows<{ name: string; n: number }>(
      database.db,
      sql`select 'sessions' as name, count(*)::int as n from sessions union all
          select 'presenters', count(*)::int from presenters union all
          select 'ballot_votes', count(*)::int from ballot_votes union all
          select 'rsvps', count(*)::int from rsvps union all
          select 'discussions', count(*)::int from discussions union all
          select 'channels:' || coalesce(session_where, '') || session_time || session_enabled, 0 from channels`,
    );
  /** Three papers with 2, 1 and 1 votes, so a ballot has three candidates. */
  const vote = async () => {
    await say('digest');
    const papers = posted().filter((d) => d.kind === 'reply');
    const react = (i: number, user: string) =>
      handlers.reaction({
        action: 'added',
        message: { channel, messageId: papers[i]!.messageId },
        user: { id: user, isAdmin: false },
        emoji: '👍',
      });
    await react(0, 'ada');
    await react(0, 'bob');
    await react(1, 'cy');
    await react(2, 'dee');
  };

  it('answers bad input with what was wrong and changes nothing', async () => {
    await say('session fri 15:00 UTC');
    await say('presenters add @ada @bob');
    const before = await rows();
    const cases: [string, RegExp, { admin?: boolean }?][] = [
      ['session fri 25:00', /"25:00" is not a time of day.*\/papers session fri 15:00/],
      ['session fri 15:00 Mars/Olympus', /"Mars\/Olympus" is not a timezone I know/],
      ['session someday 15:00', /"someday" is not a day/],
      ['session fri 15:00 10m', /"10m" is not a session length/],
      ['session where htp:/meet.example.org', /"htp:\/meet.example.org" is not a link I can use/],
      ['session where', /\/papers session where <link\|room>|Where\?/],
      ['presenters add @zed', /@zed is not a member of this workspace/],
      ['presenters add ada', /"ada" is not a person: name people with @/],
      ['presenters swap @ada @ada', /Swap two different people/],
      ['presenters swap @ada @cy', /<@cy> not in the rotation/],
      ['presenters remove @dee', /<@dee>: not in the rotation/],
      ['vote 2', /no ballot \(yet\)/],
      ['undiscussed 2606.13392', /was never marked discussed here/],
      ['undiscussed 9999.99999', /I don't know the paper "9999.99999"/],
      ['rsvp maybe', /Say `\/papers rsvp going` or `\/papers rsvp no` \(got "maybe"\)/],
      ['session fri 16:00', /^Only admins/, { admin: false }],
      ['presenters add @cy', /^Only admins/, { admin: false }],
      ['pick 2606.13392', /Only the presenter \(<@ada>\) or an admin can choose/, { admin: false }],
    ];
    for (const [text, reply, options] of cases) {
      expect(await say(text, { user: 'bob', ...options }), text).toMatch(reply);
    }
    expect(await rows()).toEqual(before);
  });

  it('refuses a ballot vote once the pick closed it, and keeps the votes it had', async () => {
    await say('session fri 15:00 UTC');
    await vote();
    await tick('2026-12-09T15:01');
    const ballot = posted().find((d) => d.message.kind === 'ballot');
    expect(ballot).toBeDefined();
    expect(await say('vote 2', { user: 'cy' })).toMatch(/^You voted for 2/);
    await tick('2026-12-10T09:01');
    const closed = /That ballot closed when the pick was announced \(Thu 10 Dec 09:01\)/;
    expect(await say('vote 1', { user: 'cy' })).toMatch(closed);
    expect(
      await handlers.ballotVote?.({
        action: 'added',
        message: { channel, messageId: ballot!.messageId },
        user: { id: 'dee', isAdmin: false },
        choice: 1,
      }),
    ).toMatch(closed);
    const votes = await queryRows<{ user_id: string; choice: number }>(
      database.db,
      sql`select user_id, choice from ballot_votes`,
    );
    expect(votes).toEqual([{ user_id: 'cy', choice: 2 }]);
  });

  it('lets the presenter choose the paper, in which case there is no ballot', async () => {
    await say('session fri 15:00 UTC');
    await say('presenters add @ada @bob');
    await vote();
    expect(await say('pick 2606.08063', { user: 'ada', admin: false })).toMatch(
      /will discuss “Robust-U1.*chosen by <@ada>/,
    );
    const from = adapter.delivered.length;
    await tick('2026-12-09T15:01');
    await tick('2026-12-10T09:01');
    const sent = posted(from);
    expect(sent.some((d) => d.message.kind === 'ballot')).toBe(false);
    const pick = sent.find(
      (d) => d.message.kind === 'paper' && d.message.heading?.startsWith('Next session'),
    );
    expect(pick?.message).toMatchObject({
      paper: { title: expect.stringMatching(/^Robust-U1/) },
      reason: expect.stringMatching(/chosen by <@ada>/),
    });
  });

  it('skips one session: no pick, reminders or discussed; the next goes ahead', async () => {
    await say('session fri 15:00 UTC');
    await vote();
    expect(await say('session skip')).toMatch(
      /session on Fri 11 Dec 15:00 is skipped\. The next one is on Fri 18 Dec/,
    );
    expect(await say('session skip')).toMatch(/already skipped/);
    const from = adapter.delivered.length;
    for (const time of [
      '2026-12-09T15:01',
      '2026-12-10T09:01',
      '2026-12-10T15:01',
      '2026-12-11T14:46',
      '2026-12-11T16:01',
    ]) {
      await tick(time);
    }
    expect(posted(from).filter((d) => d.message.kind !== 'digest-header' && d.kind === 'post')).toEqual([]);
    await tick('2026-12-16T15:01');
    expect(posted(from).some((d) => d.message.kind === 'ballot')).toBe(true);
  });

  it('skips a reminder more than its lead time late, and still wraps the session up', async () => {
    await say('session fri 15:00 UTC');
    await vote();
    await tick('2026-12-10T09:01');
    const pick = posted().find(
      (d) => d.message.kind === 'paper' && d.message.heading?.startsWith('Next session'),
    );
    expect(pick).toBeDefined();
    const from = adapter.delivered.length;
    // The bot was down from Thursday morning until the session had started.
    await tick('2026-12-11T15:05');
    await tick('2026-12-11T16:05');
    expect(posted(from).map(textOf)).toEqual([expect.stringMatching(/^Thanks for coming!/)]);
  });

  it('says nothing after a session it never announced (the bot was down all week)', async () => {
    await say('session fri 15:00 UTC');
    await vote();
    const from = adapter.delivered.length;
    await tick('2026-12-11T16:05');
    expect(posted(from)).toEqual([]);
    expect(await queryRows(database.db, sql`select 1 from discussions`)).toEqual([]);
  });

  it('does not take up a channel it hears a thread reply or a poll vote from', async () => {
    const elsewhere: ChannelRef = { platform: 'console', workspaceId: 'console', channelId: 'random' };
    await handlers.message?.({
      message: { channel: elsewhere, messageId: 'x2', threadId: 'x1' },
      user: { id: 'cy', isAdmin: false },
      text: 'nice thread',
    });
    await handlers.ballotVote?.({
      action: 'added',
      message: { channel: elsewhere, messageId: 'x1' },
      user: { id: 'cy', isAdmin: false },
      choice: 1,
    });
    expect(await queryRows(database.db, sql`select channel_id from channels`)).toEqual([]);
  });

  it('holds the later steps while another instance holds the pick', async () => {
    await say('session fri 15:00 UTC');
    await vote();
    await tick('2026-12-09T15:01');
    // Another instance took the pick a moment ago and is still at it.
    const [session] = await queryRows<{ id: number }>(database.db, sql`select id from sessions`);
    await database.db.execute(
      sql`insert into session_steps (session_id, kind, lease_owner, lease_until)
          values (${session!.id}, 'pick', 'other', ${at('2026-12-10T15:03').toISOString()}::timestamptz)`,
    );
    const from = adapter.delivered.length;
    await tick('2026-12-10T15:01');
    expect(posted(from)).toEqual([]);
    // Its claim ran out (it died): the pick is taken over, then the reminder goes in its thread.
    await tick('2026-12-10T15:04');
    const pick = posted(from).find((d) => d.message.kind === 'paper');
    const reminder = posted(from).find((d) => textOf(d).startsWith('Tomorrow'));
    expect(reminder?.threadId).toBe(pick?.messageId);
  });

  it('lets a session under way end as planned when the schedule changes, and keeps it from the digest’s timezone', async () => {
    await say('session fri 15:00 Europe/Berlin');
    await vote();
    // The pick comes at the digest's time (09:00 in the channel's UTC), the day before.
    await tick('2026-12-10T09:01');
    clock.set(at('2026-12-11T14:30'));
    expect(await say('session fri 14:00')).toMatch(/Next session: Fri 18 Dec 14:00/);
    expect(await say('schedule 09:00 Asia/Tokyo')).toMatch(/Asia\/Tokyo/);
    expect(await say('session')).toMatch(/Next session: Fri 18 Dec 14:00 \(Europe\/Berlin\)/);
    const from = adapter.delivered.length;
    await tick('2026-12-11T15:01');
    expect(posted(from).map(textOf)).toEqual([expect.stringMatching(/^Thanks for coming!/)]);
    expect(await queryRows(database.db, sql`select 1 from discussions`)).toHaveLength(1);
  });

  it('names, at the pick, the presenter the rotation has come to', async () => {
    await say('session fri 15:00 UTC ballot:6');
    await say('presenters add @ada @bob');
    await vote();
    await tick('2026-12-10T09:01');
    // Next week's ballot opens the morning after this session, before anything else changes.
    await tick('2026-12-11T16:01');
    await tick('2026-12-12T15:01');
    await tick('2026-12-17T09:01');
    const picks = posted().filter(
      (d) => d.message.kind === 'paper' && d.message.heading?.startsWith('Next session'),
    );
    expect(
      picks.map((p) => (p.message as { session?: { presenter?: { id: string } } }).session?.presenter?.id),
    ).toEqual(['ada', 'bob']);
  });

  it('moves the rotation on after each session; a skipped presenter goes first next time', async () => {
    await say('session fri 15:00 UTC');
    await say('presenters add @ada @bob @cy');
    await vote();
    expect(await say('presenters skip')).toBe('<@bob> presents next; <@ada> goes first after that.');
    await tick('2026-12-10T09:01');
    const pick = posted().find(
      (d) => d.message.kind === 'paper' && d.message.heading?.startsWith('Next session'),
    );
    expect(pick?.message).toMatchObject({ session: { presenter: { id: 'bob' } } });
    await tick('2026-12-11T16:01');
    const rotation = await say('presenters');
    expect(rotation).toMatch(/1\. <@ada> — Fri 18 Dec 15:00\n2\. <@cy> — Fri 25 Dec 15:00\n3\. <@bob>/);
    expect(await say('presenters swap @ada @cy')).toMatch(/Swapped <@ada> and <@cy>/);
    expect(await say('presenters')).toMatch(/1\. <@cy>/);
  });

  it('undoes a wrong discussed, so the paper can be picked again', async () => {
    await say('session fri 15:00 UTC');
    await vote();
    await tick('2026-12-10T09:01');
    await tick('2026-12-11T16:01');
    const [discussed] = await queryRows<{ paper_id: string }>(
      database.db,
      sql`select paper_id from discussions`,
    );
    expect(discussed).toBeDefined();
    expect(await say(`undiscussed ${discussed!.paper_id}`)).toMatch(/is no longer marked discussed/);
    expect(await queryRows(database.db, sql`select 1 from discussions`)).toEqual([]);
    expect(await say('history')).toMatch(/^Nothing discussed yet/);
  });

  it('claims each step before posting: a send that failed is retried once its claim runs out, never twice', async () => {
    let failNext = false;
    const flaky = new LabAdapter({
      beforeSend: () => {
        if (failNext) {
          failNext = false;
          throw new Error('platform down');
        }
      },
    });
    const deps = testCoreDeps(database.db, { clock });
    handlers = createHandlers(deps, flaky);
    adapter = flaky;
    scheduler = new Scheduler({
      db: database.db,
      log: deps.log,
      clock,
      instanceId: deps.instanceId,
      adapters: [flaky],
      catchUpMs: 3 * 3_600_000,
    });
    await say('session fri 15:00 UTC');
    await vote();
    failNext = true;
    await tick('2026-12-09T15:01');
    expect(posted().some((d) => d.message.kind === 'ballot')).toBe(false);
    await tick('2026-12-09T15:03');
    expect(posted().some((d) => d.message.kind === 'ballot')).toBe(false);
    await tick('2026-12-09T15:07');
    await tick('2026-12-09T15:13');
    expect(posted().filter((d) => d.message.kind === 'ballot')).toHaveLength(1);
  });
});
