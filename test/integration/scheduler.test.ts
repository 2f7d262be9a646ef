import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureChannel } from '../../db/repositories/channels.js';
import { PostgresRunCoordinator } from '../../db/repositories/scheduler-leases.js';
import { channels } from '../../db/schema.js';
import { localParts } from '../../src/domain/time.js';
import { createLogger } from '../../src/log.js';
import { dueSlot, Scheduler } from '../../src/schedule/scheduler.js';
import { upsertPapers } from '../../src/search/store.js';
import { markDiscussed } from '../../src/votes/discussion.js';
import { DEFAULT_DOWNVOTE_EMOJI, DEFAULT_UPVOTE_EMOJI, emojiWeights } from '../../src/votes/emoji.js';
import { recordReaction } from '../../src/votes/record.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { fakeClock, paperInput } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const HOUR = 3_600_000;

describe('dueSlot', () => {
  it('is due from the local time until the catch-up window closes, on scheduled days only', () => {
    const weekdays = [1, 2, 3, 4, 5];
    // Thu 26 Nov 2026, 09:30 in Berlin is 08:30 UTC.
    expect(
      dueSlot(new Date('2026-11-26T08:29:00Z'), '09:30', weekdays, 'Europe/Berlin', 3 * HOUR),
    ).toBeNull();
    expect(dueSlot(new Date('2026-11-26T08:30:00Z'), '09:30', weekdays, 'Europe/Berlin', 3 * HOUR)).toBe(
      '2026-11-26',
    );
    expect(dueSlot(new Date('2026-11-26T11:30:00Z'), '09:30', weekdays, 'Europe/Berlin', 3 * HOUR)).toBe(
      '2026-11-26',
    );
    expect(
      dueSlot(new Date('2026-11-26T11:31:00Z'), '09:30', weekdays, 'Europe/Berlin', 3 * HOUR),
    ).toBeNull();
    // Saturday.
    expect(
      dueSlot(new Date('2026-11-28T09:00:00Z'), '09:30', weekdays, 'Europe/Berlin', 3 * HOUR),
    ).toBeNull();
  });

  it('catches up a late-evening slot after local midnight', () => {
    expect(dueSlot(new Date('2026-11-26T23:30:00Z'), '23:00', [4], 'UTC', 3 * HOUR)).toBe('2026-11-26');
    expect(dueSlot(new Date('2026-11-27T00:30:00Z'), '23:00', [4], 'UTC', 3 * HOUR)).toBe('2026-11-26');
  });
});

describe('scheduler', () => {
  let database: TestDatabase;
  const log = createLogger('silent');

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  async function channel(id: string, set: Partial<typeof channels.$inferInsert>) {
    const row = await ensureChannel(database.db, { platform: 'console', workspaceId: 'w', channelId: id });
    await database.db.update(channels).set(set).where(eq(channels.id, row.id));
  }

  function scheduler(
    adapter: MemoryAdapter,
    clock: { now(): Date },
    instanceId = 'i1',
    catchUpMs = 3 * HOUR,
  ) {
    return new Scheduler({ db: database.db, log, clock, instanceId, adapters: [adapter], catchUpMs });
  }

  it('posts one digest per scheduled local day at the local time for a month across DST, in two timezones', async () => {
    await upsertPapers(
      database.db,
      Array.from({ length: 70 }, (_, i) => paperInput(`2610.${String(10000 + i)}`, { hfUpvotes: i + 1 })),
    );
    const base = { digestSize: 1, pickEnabled: false, recapEnabled: false };
    await channel('ny', {
      ...base,
      timezone: 'America/New_York',
      digestTime: '09:30',
      days: [1, 2, 3, 4, 5],
    });
    await channel('in', {
      ...base,
      timezone: 'Asia/Kolkata',
      digestTime: '08:00',
      days: [0, 1, 2, 3, 4, 5, 6],
    });
    const clock = fakeClock(new Date('2026-10-15T00:00:00Z'));
    const adapter = new MemoryAdapter({ now: () => clock.now().getTime() });
    const s = scheduler(adapter, clock);
    const end = new Date('2026-11-15T00:00:00Z').getTime();
    while (clock.now().getTime() < end) {
      await s.tick();
      clock.advance(20 * 60_000);
    }
    for (const [id, tz, time, expectedDays] of [
      ['ny', 'America/New_York', '09:30', 22],
      ['in', 'Asia/Kolkata', '08:00', 31],
    ] as const) {
      const parents = adapter.inChannel(id, 'post');
      const local = parents.map((p) => localParts(tz, new Date(p.at)));
      expect(new Set(local.map((l) => l.date)).size, id).toBe(parents.length);
      expect(parents, id).toHaveLength(expectedDays);
      for (const l of local) {
        // Posted at the first tick after the local time (ticks are 20 minutes apart here).
        expect(
          l.time >= time && l.time < (id === 'ny' ? '09:50' : '08:20'),
          `${id} ${l.date} ${l.time}`,
        ).toBe(true);
        if (id === 'ny') expect([1, 2, 3, 4, 5]).toContain(l.weekday);
      }
    }
  });

  it('gives each channel-day exactly one digest when three instances tick together', async () => {
    await upsertPapers(
      database.db,
      [1, 2, 3, 4, 5].map((i) => paperInput(`2611.0000${i}`, { hfUpvotes: i })),
    );
    const settings = {
      digestTime: '09:00',
      days: [0, 1, 2, 3, 4, 5, 6],
      digestSize: 1,
      pickEnabled: false,
      recapEnabled: false,
    };
    for (const id of ['a', 'b', 'c']) await channel(id, settings);
    const clock = fakeClock(new Date('2026-11-26T09:05:00Z'));
    const adapters = [new MemoryAdapter(), new MemoryAdapter(), new MemoryAdapter()];
    const schedulers = adapters.map((a, i) => scheduler(a, clock, `instance-${i}`));
    for (let day = 0; day < 3; day++) {
      await Promise.all(schedulers.map((s) => s.tick()));
      await Promise.all(schedulers.map((s) => s.tick()));
      clock.advance(24 * HOUR);
    }
    for (const id of ['a', 'b', 'c']) {
      const parents = adapters.flatMap((a) => a.inChannel(id, 'post'));
      expect(parents, id).toHaveLength(3);
    }
  });

  it('catches up a digest missed while down within the window, and skips the day after it', async () => {
    await upsertPapers(database.db, [paperInput('2611.00001', { hfUpvotes: 3 }), paperInput('2611.00002')]);
    await channel('late', {
      digestTime: '09:00',
      days: [0, 1, 2, 3, 4, 5, 6],
      pickEnabled: false,
      recapEnabled: false,
    });
    const clock = fakeClock(new Date('2026-11-26T11:59:00Z'));
    const adapter = new MemoryAdapter();
    expect((await scheduler(adapter, clock).tick()).digests).toBe(1);
    clock.set(new Date('2026-11-27T12:01:00Z'));
    expect((await scheduler(adapter, clock).tick()).digests).toBe(0);
    expect(adapter.inChannel('late', 'post')).toHaveLength(1);
  });

  it('posts the discussion pick on its day with its votes, once, as a votable message', async () => {
    await upsertPapers(database.db, [paperInput('2611.00001', { title: 'Voted', hfUpvotes: 1 })]);
    await channel('team', {
      digestTime: '09:00',
      days: [4],
      pickDay: 4,
      pickTime: '15:00',
      recapEnabled: false,
    });
    const clock = fakeClock(new Date('2026-11-26T09:01:00Z'));
    const adapter = new MemoryAdapter();
    const s = scheduler(adapter, clock);
    await s.tick();
    const reply = adapter.inChannel('team', 'reply')[0]!;
    const weights = emojiWeights(DEFAULT_UPVOTE_EMOJI, DEFAULT_DOWNVOTE_EMOJI);
    const ref = { platform: 'console', workspaceId: 'w', channelId: 'team' } as const;
    for (const user of ['u1', 'u2']) {
      await recordReaction(
        database.db,
        {
          action: 'added',
          emoji: '👍',
          user: { id: user, isAdmin: false },
          message: { channel: ref, messageId: reply.messageId },
        },
        weights,
        clock.now(),
      );
    }
    clock.set(new Date('2026-11-26T15:00:00Z'));
    await s.tick();
    await s.tick();
    const picks = adapter.inChannel('team', 'post').filter((d) => d.message.kind === 'paper');
    expect(picks).toHaveLength(1);
    const pick = picks[0]!.message;
    expect(pick.kind === 'paper' && [pick.heading, pick.paper.title, pick.reason]).toEqual([
      'Next discussion',
      'Voted',
      '2 votes',
    ]);
  });

  it("posts Monday's recap once: last week's most-voted papers and what was discussed", async () => {
    await upsertPapers(database.db, [
      paperInput('2611.00001', { title: 'Loved', hfUpvotes: 2 }),
      paperInput('2611.00002', { title: 'Talked about', hfUpvotes: 1 }),
    ]);
    await channel('team', { digestTime: '09:00', days: [4], pickEnabled: false, recapEnabled: true });
    const clock = fakeClock(new Date('2026-11-26T09:01:00Z'));
    const adapter = new MemoryAdapter();
    const s = scheduler(adapter, clock);
    await s.tick();
    const [loved, talked] = adapter.inChannel('team', 'reply');
    const weights = emojiWeights(DEFAULT_UPVOTE_EMOJI, DEFAULT_DOWNVOTE_EMOJI);
    const ref = { platform: 'console', workspaceId: 'w', channelId: 'team' } as const;
    for (const [post, user] of [
      [loved!, 'u1'],
      [loved!, 'u2'],
      [talked!, 'u3'],
    ] as const) {
      await recordReaction(
        database.db,
        {
          action: 'added',
          emoji: 'fire',
          user: { id: user, isAdmin: false },
          message: { channel: ref, messageId: post.messageId },
        },
        weights,
        clock.now(),
      );
    }
    await markDiscussed(
      database.db,
      ref,
      '2611.00002',
      { id: 'u1', name: 'ada', isAdmin: false },
      clock.now(),
    );
    clock.set(new Date('2026-11-30T09:00:00Z'));
    await s.tick();
    await s.tick();
    const recaps = adapter.inChannel('team', 'post').filter((d) => d.message.kind === 'leaderboard');
    expect(recaps).toHaveLength(1);
    const recap = recaps[0]!.message;
    expect(
      recap.kind === 'leaderboard' && [recap.title, recap.entries.map((e) => [e.paper.title, e.votes])],
    ).toEqual([
      'Last week in papers — discussed: “Talked about”',
      [
        ['Loved', 2],
        ['Talked about', 1],
      ],
    ]);
  });

  it('elects one runner per cron slot through Postgres, and never reruns a finished slot', async () => {
    const coordinators = ['a', 'b', 'c'].map((id) => new PostgresRunCoordinator(database.db, id));
    const elected = await Promise.all(coordinators.map((c) => c.shouldRun('tick:2026-11-26T09:00', 60_000)));
    expect(elected.filter(Boolean)).toHaveLength(1);
    const winner = coordinators[elected.indexOf(true)]!;
    await winner.onComplete('tick:2026-11-26T09:00');
    const expiredLater = new PostgresRunCoordinator(database.db, 'd', () => new Date(Date.now() + 3_600_000));
    expect(await expiredLater.shouldRun('tick:2026-11-26T09:00', 60_000)).toBe(false);
  });

  it('lets another instance take over a slot whose runner died (its lease ran out)', async () => {
    const dead = new PostgresRunCoordinator(database.db, 'dead');
    expect(await dead.shouldRun('tick:x', 1_000)).toBe(true);
    const later = new PostgresRunCoordinator(database.db, 'alive', () => new Date(Date.now() + 5_000));
    expect(await later.shouldRun('tick:x', 1_000)).toBe(true);
  });
});
