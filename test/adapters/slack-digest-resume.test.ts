import { WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findTagged } from '../../adapters/slack/find-posted.js';
import { SlackAdapter } from '../../adapters/slack/index.js';
import { type ChannelRow, ensureChannel } from '../../db/repositories/channels.js';
import { posts } from '../../db/schema.js';
import { runDigest } from '../../src/digest/run.js';
import type { ChatAdapter } from '../../src/domain/ports.js';
import { createLogger } from '../../src/log.js';
import { upsertPapers } from '../../src/search/store.js';
import { FAKE_BOT_ID, FAKE_BOT_USER, FAKE_TEAM, FakeSlackApi } from '../fakes/slack-api.js';
import { SIGNING_SECRET } from '../fakes/slack-requests.js';
import { paperInput } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-26T09:00:00Z');
const PAPERS = ['2611.00001', '2611.00002', '2611.00003'];

describe('slack digest resumed after a crash', () => {
  let database: TestDatabase;
  let api: FakeSlackApi;
  const adapters: SlackAdapter[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    api = await FakeSlackApi.start();
    await upsertPapers(
      database.db,
      PAPERS.map((id, i) =>
        paperInput(id, {
          title: `Paper number ${i + 1}`,
          hfUpvotes: 10 * (i + 1),
          hfFeaturedAt: new Date(NOW.getTime() - 86_400_000),
        }),
      ),
    );
  });

  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.stop();
    await api.close();
    await database.destroy();
  });

  /** A bot process: a real Slack adapter against the fake Slack, which outlives it. */
  const startBot = async () => {
    const adapter = new SlackAdapter({
      botToken: 'xoxb-test-token',
      signingSecret: SIGNING_SECRET,
      port: 0,
      apiUrl: api.apiUrl,
      log: createLogger('silent'),
      paceMs: 0,
      retries: 0,
    });
    await adapter.start({ command: async () => {}, reaction: async () => {} });
    adapters.push(adapter);
    return adapter;
  };

  /** The adapter of a process that dies right after Slack accepted its `n`th message. */
  const dyingAfter = (adapter: SlackAdapter, n: number): ChatAdapter => {
    let sent = 0;
    const died = () => {
      if (++sent === n) throw new Error('killed');
    };
    return {
      platform: adapter.platform,
      start: (h) => adapter.start(h),
      stop: () => adapter.stop(),
      post: async (channel, message) => {
        const ref = await adapter.post(channel, message);
        died();
        return ref;
      },
      reply: async (thread, message) => {
        const ref = await adapter.reply(thread, message);
        died();
        return ref;
      },
      findPosted: (where) => adapter.findPosted(where),
    };
  };

  const digest = (adapter: ChatAdapter, channel: ChannelRow, instanceId: string, now: Date) =>
    runDigest({ db: database.db, adapter, instanceId, now: () => now }, channel, '2026-11-26');

  // Message 1 is the thread's parent, 2-4 its replies.
  for (const crashAfter of [1, 2, 4]) {
    it(`shows each paper once when the bot died right after message ${crashAfter} reached Slack`, async () => {
      const channelId = `C0CRASH${crashAfter}`;
      const channel = await ensureChannel(database.db, {
        platform: 'slack',
        workspaceId: FAKE_TEAM,
        channelId,
      });
      await expect(digest(dyingAfter(await startBot(), crashAfter), channel, 'dead', NOW)).rejects.toThrow(
        'killed',
      );

      const later = new Date(NOW.getTime() + 10 * 60_000);
      const outcome = await digest(await startBot(), channel, 'survivor', later);
      expect(outcome.status).toBe('posted');

      const inChannel = api.messages.filter((m) => m.channel === channelId);
      const parents = inChannel.filter((m) => !m.thread_ts);
      expect(parents).toHaveLength(1);
      expect(parents[0]?.text).toMatch(/Trending papers/);
      const replies = inChannel.filter((m) => m.thread_ts === parents[0]?.ts);
      expect(replies.map((r) => r.text).sort()).toEqual([
        expect.stringContaining('Paper number 1'),
        expect.stringContaining('Paper number 2'),
        expect.stringContaining('Paper number 3'),
      ]);
      // Votes on any of the messages people see count: every reply is recorded under its Slack ts.
      const recorded = await database.db
        .select({ messageId: posts.messageId, threadId: posts.threadId })
        .from(posts)
        .where(eq(posts.channelId, channel.id));
      expect(recorded.map((p) => p.messageId).sort()).toEqual(replies.map((r) => r.ts).sort());
      for (const p of recorded) expect(p.threadId).toBe(parents[0]?.ts);
      // What it read back was only what came since the run began, 15 messages at most a page.
      const reads = [...api.callsOf('conversations.history'), ...api.callsOf('conversations.replies')];
      for (const call of reads) {
        expect(Number(call.args.oldest)).toBeGreaterThan(Date.now() / 1000 - 3600);
        expect(Number(call.args.limit)).toBeLessThanOrEqual(15);
      }
    });
  }

  it('reads history page by page, newest first, and finds only its own tagged messages', async () => {
    const client = new WebClient('xoxb-test-token', { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
    const channelId = 'C0PAGES';
    await client.chat.postMessage({
      channel: channelId,
      text: 'old digest',
      metadata: { event_type: 'papers_message', event_payload: { tag: 'digest:1' } },
    });
    for (let i = 0; i < 7; i++) await client.chat.postMessage({ channel: channelId, text: `chatter ${i}` });
    // Another app's message with the same metadata is not the bot's.
    api.messages.push({
      channel: channelId,
      ts: '1760099999.000100',
      text: 'impostor',
      user: 'U0OTHER',
      bot_id: 'B0OTHER',
      metadata: { event_type: 'papers_message', event_payload: { tag: 'digest:2' } },
    });
    const me = { userId: FAKE_BOT_USER, botId: FAKE_BOT_ID };
    const where = { channelId, tags: ['digest:1', 'digest:2'] };
    const found = await findTagged(client, me, where, { pages: 5, pageSize: 3, budgetMs: 5000 });
    expect([...found.keys()]).toEqual(['digest:1']);
    expect(api.callsOf('conversations.history')).toHaveLength(3);
    for (const call of api.callsOf('conversations.history'))
      expect(call.args.include_all_metadata).toBe('true');

    // Bounded: with too few pages allowed, the old message is out of reach.
    const shallow = await findTagged(client, me, where, { pages: 2, pageSize: 3, budgetMs: 5000 });
    expect(shallow.size).toBe(0);
  });
});
