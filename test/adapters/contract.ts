import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client.js';
import type { Workspace } from '../../src/domain/types.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

/** One message the bot sent, as the fake platform received it. */
export interface SentMessage {
  kind: 'post' | 'reply' | 'response';
  /** The platform's id for it, as react() takes it. Absent for responses that have none. */
  messageId?: string;
  /** For replies: the id of the message they are threaded under. */
  threadId?: string;
  /** Only the person who ran the command sees it. */
  private: boolean;
  /** All of its text as a person reads it (Block Kit/embeds flattened, fallback text included). */
  text: string;
}

/** A real adapter wired to the core over `db`, driven through its platform's fake. */
export interface AdapterHarness {
  /** The workspace the harness's channel belongs to. */
  workspace: Workspace;
  /** Runs `/papers <text>` as `user` in the harness channel; resolves once every answer has arrived. */
  command(text: string, user: string): Promise<void>;
  /** Adds or removes a reaction (given as a unicode emoji) on a message; resolves once it is handled. */
  react(messageId: string, emoji: string, user: string, action?: 'added' | 'removed'): Promise<void>;
  /** Everything the bot sent so far, oldest first. */
  sent(): SentMessage[];
  close(): Promise<void>;
}

export type HarnessFactory = (db: Db) => Promise<AdapterHarness>;

/** The behaviour every door must show the same way: console, Slack and Discord run this suite. */
export function describeAdapterContract(name: string, makeHarness: HarnessFactory): void {
  describe(`${name} adapter contract`, () => {
    let database: TestDatabase;
    let harness: AdapterHarness;

    beforeEach(async () => {
      database = await createTestDatabase();
      await seedSamplePapers(database.db);
      harness = await makeHarness(database.db);
    });

    afterEach(async () => {
      await harness.close();
      await database.destroy();
    });

    const postsInDb = async () =>
      Number((await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from posts`))[0]?.n);

    it('answers help privately with the usage', async () => {
      await harness.command('help', 'u1');
      const [answer] = harness.sent();
      expect(answer?.private).toBe(true);
      expect(answer?.text).toContain('/papers search');
    });

    it('answers an unknown subcommand with the usage and changes nothing', async () => {
      await harness.command('frobnicate now', 'u1');
      const [answer] = harness.sent();
      expect(answer?.private).toBe(true);
      expect(answer?.text).toContain('frobnicate');
      expect(answer?.text).toContain('/papers search');
      expect(await postsInDb()).toBe(0);
    });

    it('posts a digest as one parent and one threaded reply per paper, once a day', async () => {
      await harness.command('digest', 'u1');
      const parents = harness.sent().filter((m) => m.kind === 'post');
      const replies = harness.sent().filter((m) => m.kind === 'reply');
      expect(parents).toHaveLength(1);
      expect(parents[0]?.text).toMatch(/Trending papers/);
      expect(replies).toHaveLength(5);
      for (const reply of replies) expect(reply.threadId).toBe(parents[0]?.messageId);
      expect(replies[0]?.text).toContain('EvoArena');
      expect(await postsInDb()).toBe(5);

      await harness.command('digest', 'u1');
      expect(harness.sent().filter((m) => m.kind !== 'response')).toHaveLength(6);
      expect(harness.sent().at(-1)?.text).toMatch(/already/);
      expect(await postsInDb()).toBe(5);
    });

    it('counts a reaction on a paper as a vote, each person once, and takes it back on removal', async () => {
      await harness.command('digest', 'u1');
      const [first, second] = harness.sent().filter((m) => m.kind === 'reply');
      const parent = harness.sent().find((m) => m.kind === 'post');
      if (!first?.messageId || !second?.messageId || !parent?.messageId) throw new Error('digest not posted');

      await harness.react(first.messageId, '👍', 'alice');
      await harness.react(first.messageId, '🔥', 'alice');
      await harness.react(first.messageId, '🚀', 'bob');
      await harness.react(second.messageId, '🤔', 'carol');
      await harness.react(parent.messageId, '👍', 'carol');
      let top = await topPapers(database.db, harness.workspace, 'all', new Date());
      expect(top.map((e) => e.votes)).toEqual([2]);

      await harness.command('top', 'u1');
      expect(harness.sent().at(-1)?.text).toMatch(/2 votes/);

      await harness.react(first.messageId, '🚀', 'bob', 'removed');
      top = await topPapers(database.db, harness.workspace, 'all', new Date());
      expect(top.map((e) => e.votes)).toEqual([1]);
    });

    it('shows search results only to the person who searched', async () => {
      await harness.command('search sparse attention', 'u1');
      const answer = harness.sent().at(-1);
      expect(answer?.private).toBe(true);
      expect(answer?.text).toContain('MiniMax Sparse Attention');
    });
  });
}
