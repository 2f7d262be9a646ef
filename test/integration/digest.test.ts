import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChannelRow, ensureChannel } from '../../db/repositories/channels.js';
import { channels } from '../../db/schema.js';
import { runDigest } from '../../src/digest/run.js';
import { upsertPapers } from '../../src/search/store.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { paperInput } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-26T09:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

describe('daily digest', () => {
  let database: TestDatabase;
  let channel: ChannelRow;

  beforeEach(async () => {
    database = await createTestDatabase();
    channel = await ensureChannel(database.db, {
      platform: 'console',
      workspaceId: 'w',
      channelId: 'papers',
    });
  });
  afterEach(() => database.destroy());

  const digest = (adapter: MemoryAdapter, date = '2026-11-26', instanceId = 'i1') =>
    runDigest({ db: database.db, adapter, instanceId, now: () => NOW }, channel, date);

  const replyTitles = (adapter: MemoryAdapter) =>
    adapter.delivered
      .filter((d) => d.kind === 'reply')
      .map((d) => (d.message.kind === 'paper' ? d.message.paper.title : ''));

  const configure = async (set: Partial<ChannelRow>) => {
    await database.db.update(channels).set(set).where(eq(channels.id, channel.id));
    channel = { ...channel, ...set };
  };

  it('ranks a day-old paper with momentum above a week-old one with more upvotes, and says why', async () => {
    await upsertPapers(database.db, [
      paperInput('2611.00001', { title: 'Week old', hfUpvotes: 200, hfFeaturedAt: daysAgo(7) }),
      paperInput('2611.00002', { title: 'Day old', hfUpvotes: 100, hfFeaturedAt: daysAgo(1) }),
      paperInput('2611.00003', { title: 'Quiet', hfUpvotes: 1, hfFeaturedAt: daysAgo(1) }),
    ]);
    const adapter = new MemoryAdapter();
    await digest(adapter);
    expect(replyTitles(adapter)).toEqual(['Day old', 'Week old', 'Quiet']);
    const first = adapter.delivered.find((d) => d.kind === 'reply')?.message;
    expect(first?.kind === 'paper' && first.reason).toBe('▲ 100 upvotes on HF');
    const header = adapter.delivered[0]?.message;
    expect(header?.kind === 'digest-header' && header.title).toBe('Trending papers — Thu 26 Nov');
  });

  it('lifts followed topics and categories, and never posts muted ones', async () => {
    await upsertPapers(database.db, [
      paperInput('2611.00001', {
        title: 'Popular survey of agents',
        hfUpvotes: 300,
        hfFeaturedAt: daysAgo(1),
      }),
      paperInput('2611.00002', {
        title: 'Popular robotics',
        hfUpvotes: 250,
        hfFeaturedAt: daysAgo(1),
        categories: ['cs.RO'],
      }),
      paperInput('2611.00003', {
        title: 'Small diffusion distillation',
        hfUpvotes: 2,
        hfFeaturedAt: daysAgo(2),
      }),
      paperInput('2611.00004', {
        title: 'A parser',
        hfUpvotes: 0,
        hfFeaturedAt: daysAgo(2),
        categories: ['cs.CL'],
      }),
      paperInput('2611.00005', { title: 'Middle', hfUpvotes: 50, hfFeaturedAt: daysAgo(1) }),
    ]);
    await configure({ follows: ['diffusion', 'cat:cs.CL'], mutes: ['survey', 'cat:cs.RO'], digestSize: 3 });
    const adapter = new MemoryAdapter();
    await digest(adapter);
    expect(replyTitles(adapter)).toEqual(['Small diffusion distillation', 'A parser', 'Middle']);
    const reasons = adapter.delivered.flatMap((d) => (d.message.kind === 'paper' ? [d.message.reason] : []));
    expect(reasons[0]).toBe('▲ 2 upvotes on HF · matches diffusion');
    expect(reasons[1]).toBe('matches cat:cs.CL');
  });

  it('never posts a paper the channel has seen, in any version, and posts fewer when few qualify', async () => {
    await upsertPapers(database.db, [paperInput('2611.00001', { version: 1, hfUpvotes: 5 })]);
    await digest(new MemoryAdapter());
    await upsertPapers(database.db, [
      paperInput('2611.00001', { version: 2, hfUpvotes: 50 }),
      paperInput('2611.00002', { hfUpvotes: 1 }),
    ]);
    const nextDay = new MemoryAdapter();
    await digest(nextDay, '2026-11-27');
    expect(replyTitles(nextDay)).toEqual(['Paper 2611.00002']);
  });

  it('posts nothing on an empty day, or one quiet line when the channel asks for it', async () => {
    const silent = new MemoryAdapter();
    expect((await digest(silent)).status).toBe('empty');
    expect(silent.delivered).toHaveLength(0);

    await configure({ emptyNote: true });
    const quiet = new MemoryAdapter();
    await digest(quiet, '2026-11-27');
    expect(quiet.delivered.map((d) => d.message.kind === 'text' && d.message.text)).toEqual([
      'Nothing new to read today (Fri 27 Nov).',
    ]);
  });

  it('resumes a run that died at any step with exactly the missing replies, in the same thread', async () => {
    await upsertPapers(
      database.db,
      [1, 2, 3, 4].map((i) => paperInput(`2611.0000${i}`, { hfUpvotes: 10 * i, hfFeaturedAt: daysAgo(1) })),
    );
    const steps = 1 + 4;
    for (let crashAt = 1; crashAt <= steps; crashAt++) {
      const date = `2026-12-${String(crashAt).padStart(2, '0')}`;
      await database.db.delete(channels).where(eq(channels.id, channel.id));
      channel = await ensureChannel(database.db, {
        platform: 'console',
        workspaceId: 'w',
        channelId: `c${crashAt}`,
      });
      const dying = new MemoryAdapter({
        beforeSend: (step) => {
          if (step === crashAt) throw new Error('killed');
        },
      });
      await expect(digest(dying, date, 'dead-instance')).rejects.toThrow('killed');
      // The dead instance's lease must run out before another may take over.
      const survivor = new MemoryAdapter();
      const later = new Date(NOW.getTime() + 10 * 60_000);
      const outcome = await runDigest(
        { db: database.db, adapter: survivor, instanceId: 'survivor', now: () => later },
        channel,
        date,
      );
      expect(outcome.status).toBe('posted');
      const all = [...dying.delivered, ...survivor.delivered];
      const parents = all.filter((d) => d.kind === 'post');
      const replies = all.filter((d) => d.kind === 'reply');
      expect(parents, `crash at step ${crashAt}`).toHaveLength(1);
      expect(replies.map((r) => r.message.kind === 'paper' && r.message.paper.id).sort()).toEqual([
        '2611.00001',
        '2611.00002',
        '2611.00003',
        '2611.00004',
      ]);
      for (const r of replies) expect(r.threadId).toBe(parents[0]?.messageId);
    }
  });

  it('adopts a reply that reached the platform just before a crash instead of posting it again', async () => {
    await upsertPapers(
      database.db,
      [1, 2, 3].map((i) => paperInput(`2611.0000${i}`, { hfUpvotes: 10 * i, hfFeaturedAt: daysAgo(1) })),
    );
    // Step 1 is the parent; steps 2-4 are replies. Crash right after each message was delivered.
    for (let crashAfter = 1; crashAfter <= 4; crashAfter++) {
      const date = `2026-12-1${crashAfter}`;
      channel = await ensureChannel(database.db, {
        platform: 'console',
        workspaceId: 'w',
        channelId: `after${crashAfter}`,
      });
      const dying = new MemoryAdapter({
        afterSend: (step) => {
          if (step === crashAfter) throw new Error('killed');
        },
      });
      await expect(digest(dying, date, 'dead-instance')).rejects.toThrow('killed');
      const survivor = new MemoryAdapter({ history: dying.delivered });
      const later = new Date(NOW.getTime() + 10 * 60_000);
      await runDigest(
        { db: database.db, adapter: survivor, instanceId: 'survivor', now: () => later },
        channel,
        date,
      );
      const all = [...dying.delivered, ...survivor.delivered];
      expect(
        all.filter((d) => d.kind === 'post'),
        `crash after ${crashAfter}`,
      ).toHaveLength(1);
      const replies = all.filter((d) => d.kind === 'reply');
      expect(
        replies.map((r) => r.message.kind === 'paper' && r.message.paper.id).sort(),
        `crash after ${crashAfter}`,
      ).toEqual(['2611.00001', '2611.00002', '2611.00003']);
    }
  });

  it('lets only one of several instances post a run while its lease holds', async () => {
    await upsertPapers(database.db, [paperInput('2611.00001', { hfUpvotes: 3 })]);
    const adapters = [new MemoryAdapter(), new MemoryAdapter(), new MemoryAdapter()];
    const outcomes = await Promise.all(adapters.map((a, i) => digest(a, '2026-11-26', `instance-${i}`)));
    expect(adapters.flatMap((a) => a.delivered.filter((d) => d.kind === 'post'))).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'posted')).toHaveLength(1);
  });
});
