import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers, ReactionEvent } from '../../src/domain/ports.js';
import { upsertPapers } from '../../src/search/store.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { paperInput, sendCommand, testCoreDeps } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const channel = { platform: 'console', workspaceId: 'console', channelId: 'papers' } as const;
const workspace = { platform: 'console', workspaceId: 'console' } as const;

describe('votes, shares and the discussion pick', () => {
  let database: TestDatabase;
  let adapter: MemoryAdapter;
  let handlers: InboundHandlers;
  let replies: string[];

  beforeEach(async () => {
    database = await createTestDatabase();
    await upsertPapers(
      database.db,
      [1, 2, 3].map((i) => paperInput(`2611.0000${i}`, { title: `Paper ${i}`, hfUpvotes: 10 * i })),
    );
    adapter = new MemoryAdapter();
    handlers = createHandlers(testCoreDeps(database.db), adapter);
    await sendCommand(handlers, adapter, 'digest');
    replies = adapter.delivered.filter((d) => d.kind === 'reply').map((d) => d.messageId);
  });
  afterEach(() => database.destroy());

  const react = (messageId: string, user: string, emoji: string, extra: Partial<ReactionEvent> = {}) =>
    handlers.reaction({
      action: 'added',
      message: { channel, messageId },
      user: { id: user, isAdmin: false },
      emoji,
      ...extra,
    });
  const scores = async () =>
    Object.fromEntries(
      (await topPapers(database.db, workspace, 'all', new Date())).map((e) => [e.paper.title, e.votes]),
    );

  it('counts each person once per paper, whatever they reacted with and however often it was delivered', async () => {
    const [top] = replies;
    await react(top!, 'alice', '+1');
    await react(top!, 'alice', '+1');
    await react(top!, 'alice', '👍🏽');
    await react(top!, 'alice', 'fire');
    await react(top!, 'bob', '+1::skin-tone-3');
    expect(await scores()).toEqual({ 'Paper 3': 2 });
  });

  it('ignores other emoji, the bot itself, and messages that are not paper posts', async () => {
    const parent = adapter.delivered.find((d) => d.kind === 'post')!.messageId;
    await react(replies[0]!, 'alice', 'thinking_face');
    await react(replies[0]!, 'bot', '+1', { byBot: true });
    await react(parent, 'alice', '+1');
    await react('no-such-message', 'alice', '+1');
    expect(await scores()).toEqual({});
  });

  it('keeps the newest event per reaction, so a removal delivered before its add still wins', async () => {
    const t1 = new Date('2026-11-26T10:00:00Z');
    const t2 = new Date('2026-11-26T10:00:05Z');
    await react(replies[0]!, 'alice', '+1', { action: 'removed', at: t2 });
    await react(replies[0]!, 'alice', '+1', { action: 'added', at: t1 });
    await react(replies[1]!, 'bob', '+1', { action: 'added', at: t1 });
    await react(replies[1]!, 'bob', '+1', { action: 'removed', at: t2 });
    await react(replies[1]!, 'bob', '+1', { action: 'removed', at: t2 });
    expect(await scores()).toEqual({});
  });

  it('lets 👎 count against a paper', async () => {
    await react(replies[0]!, 'alice', '+1');
    await react(replies[0]!, 'bob', 'rocket');
    await react(replies[0]!, 'carol', '-1');
    expect(await scores()).toEqual({ 'Paper 3': 1 });
  });

  it('shows the leaderboard by period', async () => {
    await react(replies[0]!, 'alice', '+1', { at: new Date(Date.now() - 10 * 86_400_000) });
    await react(replies[1]!, 'bob', '+1');
    await sendCommand(handlers, adapter, 'top week');
    const week = adapter.delivered.at(-1)!.message;
    expect(week.kind === 'leaderboard' && week.entries.map((e) => [e.paper.title, e.votes])).toEqual([
      ['Paper 2', 1],
    ]);
    await sendCommand(handlers, adapter, 'top all');
    const all = adapter.delivered.at(-1)!.message;
    expect(all.kind === 'leaderboard' && all.entries.map((e) => e.paper.title).sort()).toEqual([
      'Paper 2',
      'Paper 3',
    ]);
  });

  it('picks the most-voted paper not yet discussed, and moves on when it is discussed', async () => {
    await react(replies[1]!, 'alice', '+1');
    await react(replies[1]!, 'bob', '+1');
    await react(replies[0]!, 'alice', '+1');
    await sendCommand(handlers, adapter, 'pick');
    const pick = adapter.delivered.at(-1)!.message;
    expect(pick.kind === 'paper' && [pick.heading, pick.paper.title, pick.reason]).toEqual([
      'Next discussion',
      'Paper 2',
      '2 votes',
    ]);
    await sendCommand(handlers, adapter, 'discussed');
    expect(adapter.responses().at(-1)).toBe('Marked “Paper 2” as discussed. Next pick: “Paper 3” (1 vote).');
    await sendCommand(handlers, adapter, 'discussed 2611.00002');
    expect(adapter.responses().at(-1)).toMatch(/^"Paper 2" was already discussed on \d{4}-\d{2}-\d{2}\.$/);
    await sendCommand(handlers, adapter, 'discussed 2699.99999');
    expect(adapter.responses().at(-1)).toMatch(/I don't know the paper "2699.99999"/);
    await sendCommand(handlers, adapter, 'history');
    expect(adapter.responses().at(-1)).toMatch(/1\. \d{4}-\d{2}-\d{2} — Paper 2 \(2 votes, marked by ada\)/);
  });

  it('answers a pasted link with a votable card, and points a second share to the first', async () => {
    const paste = (user: string, messageId: string, text: string) =>
      handlers.message!({
        message: { channel, messageId },
        user: { id: user, name: user, isAdmin: false },
        text,
      });
    await upsertPapers(database.db, [paperInput('2611.00009', { title: 'Fresh' })]);
    await paste('alice', 'msg-1', 'worth a read: https://arxiv.org/abs/2611.00009v2');
    await paste('alice', 'msg-1', 'worth a read: https://arxiv.org/abs/2611.00009v2');
    await paste('bob', 'msg-2', 'see arXiv:2611.00009');
    await paste('bob', 'msg-3', 'and https://huggingface.co/papers/2611.99999');
    const after = adapter.delivered.filter((d) => d.threadId?.startsWith('msg-'));
    expect(
      after.map((d) =>
        d.message.kind === 'paper'
          ? `card:${d.message.heading}`
          : d.message.kind === 'text' && d.message.text,
      ),
    ).toEqual([
      'card:Shared by alice',
      '2611.00009 was already shared here by alice: react to that message to vote.',
      "I couldn't find 2611.99999 on arXiv.",
    ]);
    await react(after[0]!.messageId, 'carol', '+1');
    expect((await scores()).Fresh).toBe(1);
    const [entry] = await topPapers(database.db, workspace, 'all', new Date());
    expect(entry?.sharedBy).toEqual(['alice', 'bob']);

    await sendCommand(handlers, adapter, 'discussed 2611.00009');
    await sendCommand(handlers, adapter, 'search fresh');
    const results = adapter.delivered.at(-1)!.message;
    const hit = results.kind === 'search-results' ? results.hits[0] : undefined;
    expect([hit?.paper.title, hit?.teamVotes, hit?.sharedBy, hit?.discussed]).toEqual([
      'Fresh',
      1,
      ['alice', 'bob'],
      true,
    ]);
  });
});
