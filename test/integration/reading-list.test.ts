import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import type { ChannelRef } from '../../src/domain/types.js';
import { createLogger } from '../../src/log.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { upsertPapers } from '../../src/search/store.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { fakeClock, paperInput, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const channel: ChannelRef = { platform: 'console', workspaceId: 'console', channelId: 'papers' };
// Friday 4 Dec 2026; the Monday after is 7 Dec.
const FRIDAY = new Date('2026-12-04T10:00:00Z');

describe('the reading list, vote buttons and the digest parent', () => {
  let database: TestDatabase;
  let adapter: MemoryAdapter;
  let handlers: InboundHandlers;
  const clock = fakeClock(FRIDAY);

  beforeEach(async () => {
    database = await createTestDatabase();
    adapter = new MemoryAdapter();
    clock.set(FRIDAY);
    handlers = createHandlers(testCoreDeps(database.db, { clock }), adapter);
    await upsertPapers(
      database.db,
      [1, 2, 3].map((i) =>
        paperInput(`2612.0000${i}`, {
          title: `Paper ${i}`,
          hfUpvotes: 10 * i,
          hfFeaturedAt: new Date('2026-12-03T00:00:00Z'),
          url: `https://arxiv.org/abs/2612.0000${i}`,
        }),
      ),
    );
  });
  afterEach(() => database.destroy());

  const say = async (text: string, user = 'ada', admin = true) => {
    await sendCommand(handlers, adapter, text, { user, admin });
    const last = adapter.delivered.at(-1);
    return last?.message.kind === 'text' ? last.message.text : (last?.message.kind ?? '');
  };
  const tick = (instance = 'one') =>
    new Scheduler({
      db: database.db,
      log: createLogger('silent'),
      clock,
      instanceId: instance,
      adapters: [adapter],
      catchUpMs: 3_600_000,
    }).tick();
  const dms = () => adapter.delivered.filter((d) => d.kind === 'dm');
  const replies = () => adapter.delivered.filter((d) => d.kind === 'reply');
  const votesNow = async () =>
    Object.fromEntries(
      (await topPapers(database.db, channel, 'all', clock.now())).map((e) => [e.paper.title, e.votes]),
    );

  it('keeps each person’s list to themselves, answers privately, and refuses what it cannot do', async () => {
    expect(await say('saved')).toMatch(/^Your reading list is empty: press Save under a paper/);
    expect(await say('save 2612.00001')).toMatch(/^Saved “Paper 1” to your reading list \(1 paper\)/);
    expect(await say('save https://arxiv.org/abs/2612.00002')).toMatch(/\(2 papers\)/);
    expect(await say('save 2612.00001')).toBe(
      '“Paper 1” is already on your reading list (`/papers saved` shows it).',
    );
    expect(await say('save 2612.99999')).toMatch(/^I don't know the paper "2612\.99999"/);
    expect(await say('save')).toMatch(/^Save what\? Give an arXiv id or link/);
    expect(await say('saved', 'bob')).toMatch(/^Your reading list is empty/);

    await say('saved');
    const list = adapter.delivered.at(-1)!;
    expect(list.private).toBe(true);
    if (list.message.kind !== 'search-results') throw new Error('no list');
    expect(list.message.hits.map((h) => [h.paper.title, h.why])).toEqual([
      ['Paper 1', 'saved today'],
      ['Paper 2', 'saved today'],
    ]);
    expect(list.message.buttons.map((b) => b.command)).toEqual(['unsave 2612.00001', 'unsave 2612.00002']);

    expect(await say('unsave 2612.00001')).toBe('Took “Paper 1” off your reading list.');
    expect(await say('unsave 2612.00001')).toBe(
      '“Paper 1” is not on your reading list (`/papers saved` shows what is).',
    );
    expect(adapter.delivered.filter((d) => d.kind !== 'response')).toEqual([]);
  });

  it('offers Save under every digest paper, and a pressed Save puts it on the presser’s list', async () => {
    await say('digest');
    const [first] = replies();
    expect(first?.message.kind === 'paper' && first.message.buttons).toEqual([
      { label: 'Save', command: 'save 2612.00003' },
    ]);
    await handlers.command({
      ref: { id: 'b1', channel, user: { id: 'bob', isAdmin: false }, respond: adapter.responder(channel) },
      channel,
      user: { id: 'bob', isAdmin: false },
      input: { kind: 'text', text: 'save 2612.00003' },
      fromButton: true,
    });
    expect(adapter.responses().at(-1)).toMatch(/^Saved “Paper 3”/);
  });

  it('sends the list once on Monday morning, to each person who did not turn it off, across instances and restarts', async () => {
    await say('save 2612.00001', 'ada');
    await say('save 2612.00002', 'bob');
    await say('save 2612.00003', 'cy');
    expect(await say('saved weekly off', 'cy')).toMatch(/^No more weekly messages/);
    await say('save 2612.00003', 'dee');
    await say('unsave 2612.00003', 'dee');

    clock.set(new Date('2026-12-07T08:59:00Z'));
    await tick();
    expect(dms()).toEqual([]);

    clock.set(new Date('2026-12-07T09:01:00Z'));
    await Promise.all([tick('one'), tick('two'), tick('three')]);
    await tick('after-restart');
    expect(
      dms()
        .map((d) => d.channelId)
        .sort(),
    ).toEqual(['dm:ada', 'dm:bob']);
    const text = dms().find((d) => d.channelId === 'dm:ada')?.message;
    expect(text?.kind === 'text' && text.text).toMatch(
      /^📚 Your reading list: 1 paper still to read\.\n• Paper 1 — https:\/\/arxiv\.org\/abs\/2612\.00001 \(saved 3 days ago\)/,
    );

    // The next Monday, again; a Monday the bot missed entirely is skipped.
    clock.set(new Date('2026-12-14T09:30:00Z'));
    await tick();
    expect(dms()).toHaveLength(4);
    clock.set(new Date('2026-12-22T09:30:00Z'));
    await tick();
    expect(dms()).toHaveLength(4);
  });

  it('lets a channel vote with a button: one vote a person, pressed again to take it back', async () => {
    expect(await say('vote-with buttons')).toMatch(/carry a ▲ Vote button/);
    expect(await say('vote-with buttons')).toBe('This channel already votes with buttons.');
    expect(await say('vote-with sideways')).toMatch(/^Say reactions, buttons or both/);
    expect(await say('vote-with both', 'bob', false)).toMatch(/^Only admins/);
    await say('digest');
    const header = adapter.delivered.find((d) => d.kind === 'post')?.message;
    expect(header?.kind === 'digest-header' && header.voteHint).toMatch(/^Press ▲ Vote on a paper below/);
    const [first] = replies();
    expect(first?.message.kind === 'paper' && first.message.buttons?.[0]).toEqual({
      label: '▲ Vote',
      command: 'upvote 2612.00003',
      style: 'primary',
    });

    expect(await say('upvote 2612.00003', 'bob', false)).toBe(
      'Voted for “Paper 3” (1 vote now). Press ▲ Vote again to take it back.',
    );
    // A reaction by the same person adds nothing: each person counts once.
    await handlers.reaction({
      action: 'added',
      message: { channel, messageId: first!.messageId },
      user: { id: 'bob', isAdmin: false },
      emoji: '+1',
    });
    expect(await votesNow()).toEqual({ 'Paper 3': 1 });
    expect(await say('upvote 2612.00003', 'cy', false)).toMatch(/\(2 votes now\)/);
    expect(await say('upvote 2612.00003', 'cy', false)).toBe(
      'Took back your ▲ vote for “Paper 3” (1 vote now).',
    );
    expect(await votesNow()).toEqual({ 'Paper 3': 1 });
    await upsertPapers(database.db, [paperInput('2612.00009', { title: 'Never posted' })]);
    expect(await say('upvote 2612.00009', 'cy', false)).toMatch(
      /^“Never posted” has not been posted in this channel, so there is nothing to vote on here/,
    );
  });

  it('tells a digest’s thread once that votes on its parent count nothing', async () => {
    await say('digest');
    const parent = adapter.delivered.find((d) => d.kind === 'post')!;
    expect(parent.message.kind === 'digest-header' && parent.message.voteHint).toMatch(
      /^React with 👍 🔥 or 🚀 on a paper below to vote/,
    );
    for (const user of ['ada', 'bob', 'ada']) {
      await handlers.reaction({
        action: 'added',
        message: { channel, messageId: parent.messageId },
        user: { id: user, isAdmin: false },
        emoji: '+1',
      });
    }
    const hints = replies().filter((r) => r.threadId === parent.messageId && r.message.kind === 'text');
    expect(hints.map((h) => h.message.kind === 'text' && h.message.text)).toEqual([
      'Votes count on the papers themselves, not on this message: vote on the one you want the team to read.',
    ]);
    expect(await votesNow()).toEqual({});
  });
});
