import { GatewayIntentBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { posts } from '../../db/schema.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { captureLog } from '../helpers/log.js';
import { DiscordTestBot, PAPERS_COMMAND, sentMessages } from './discord-harness.js';

/** The real core and discord.js against the fake gateway and REST: restarts, outages, rate limits. */
describe('Discord gateway and posting', () => {
  let database: TestDatabase;
  let bot: DiscordTestBot;

  beforeEach(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
  });

  afterEach(async () => {
    await bot.stop();
    await database.destroy();
  });

  const votes = async () =>
    (
      await topPapers(database.db, { platform: 'discord', workspaceId: bot.fake.guildId }, 'all', new Date())
    ).map((e) => e.votes);

  const digest = () => bot.settle(() => bot.slash(PAPERS_COMMAND, 'digest', [], 'ada'));

  it('asks only for the intents it needs, Message Content only with link shares', async () => {
    bot = await DiscordTestBot.start(database.db);
    const identify = bot.fake.gatewayFrames.find((f) => f.op === 2);
    expect(identify?.d.intents).toBe(
      GatewayIntentBits.Guilds |
        GatewayIntentBits.GuildMessages |
        GatewayIntentBits.GuildMessageReactions |
        GatewayIntentBits.GuildMessagePolls |
        GatewayIntentBits.GuildScheduledEvents,
    );
    await bot.stop();
    bot = await DiscordTestBot.start(database.db, { linkShares: true });
    expect(bot.fake.gatewayFrames.find((f) => f.op === 2)?.d.intents & GatewayIntentBits.MessageContent).toBe(
      GatewayIntentBits.MessageContent,
    );
  });

  it('counts reactions in an archived digest thread after a restart, and ignores its own', async () => {
    bot = await DiscordTestBot.start(database.db);
    await digest();
    const [paper] = sentMessages(bot.fake).filter((m) => m.kind === 'reply');
    if (!paper?.messageId || !paper.threadId) throw new Error('digest not posted');
    const { fake } = bot;
    await bot.stop({ keepFake: true });

    // Archived threads are not in GUILD_CREATE: the new process has never seen this one.
    fake.hiddenThreads.add(paper.threadId);
    bot = await DiscordTestBot.start(database.db, { fake });
    const before = fake.requests.length;
    const handled = bot.handled;
    // A burst, as when a team reacts at once: one lookup of the thread serves them all.
    for (const user of ['alice', 'bob', 'bot'])
      bot.reaction('added', paper.threadId, paper.messageId, '👍', user);
    await bot.handledAtLeast(handled + 3, 10_000);
    expect(await votes()).toEqual([2]);
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /channels/${paper.threadId}`,
    ]);

    await bot.settle(() => bot.reaction('removed', paper.threadId!, paper.messageId!, '👍', 'alice'));
    expect(await votes()).toEqual([1]);
  });

  it('resumes the same session after the connection drops, and keeps handling events', async () => {
    bot = await DiscordTestBot.start(database.db);
    await digest();
    const [paper] = sentMessages(bot.fake).filter((m) => m.kind === 'reply');
    expect(bot.adapter.isConnected()).toBe(true);
    bot.fake.dropConnection();
    await bot.fake.connected();
    await vi.waitFor(() => expect(bot.adapter.isConnected()).toBe(true), { timeout: 10_000 });
    const resume = bot.fake.gatewayFrames.find((f) => f.op === 6);
    expect(resume?.d).toMatchObject({ session_id: 'session-1', token: 'fake-token' });
    expect(bot.fake.gatewayFrames.filter((f) => f.op === 2)).toHaveLength(1);

    await bot.settle(() => bot.reaction('added', paper!.threadId!, paper!.messageId!, '🔥', 'bob'));
    expect(await votes()).toEqual([1]);
  });

  it('waits out a 429 and posts every paper exactly once', async () => {
    const logged = captureLog('warn');
    bot = await DiscordTestBot.start(database.db, { log: logged.log });
    let repliesInThread = 0;
    const inThread = (r: { method: string; path: string }) =>
      r.method === 'POST' &&
      /^\/channels\/\d+\/messages$/.test(r.path) &&
      r.path !== `/channels/${bot.fake.textChannelId}/messages`;
    // Discord limits the second paper of the thread.
    bot.fake.failNext((r) => inThread(r) && ++repliesInThread === 2, {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
      headers: {
        'retry-after': '0.05',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': '0.05',
        'x-ratelimit-scope': 'user',
      },
    });
    await digest();
    const replies = sentMessages(bot.fake).filter((m) => m.kind === 'reply');
    expect(replies).toHaveLength(5);
    expect(new Set(replies.map((r) => r.text)).size).toBe(5);
    expect(bot.fake.requests.filter((r) => r.status === 429)).toHaveLength(1);
    expect(logged.lines()).toContainEqual(expect.objectContaining({ msg: 'discord rate limit' }));
  });

  it('posts a paper once when Discord created it but its answer was lost, and records that message', async () => {
    bot = await DiscordTestBot.start(database.db);
    const inThread = (r: { method: string; path: string }) =>
      r.method === 'POST' &&
      /^\/channels\/\d+\/messages$/.test(r.path) &&
      r.path !== `/channels/${bot.fake.textChannelId}/messages`;
    let repliesInThread = 0;
    // The third paper reaches the thread, but a proxy loses Discord's answer; discord.js sends it again.
    bot.fake.failNext(
      (r) => inThread(r) && ++repliesInThread === 3,
      { status: 502, body: { message: 'Bad Gateway' } },
      { afterHandling: true },
    );
    await digest();
    expect(bot.fake.requests.filter((r) => r.status === 502)).toHaveLength(1);
    const thread = sentMessages(bot.fake).find((m) => m.kind === 'reply')?.threadId;
    const inTheThread = bot.fake.created.filter((m) => m.channel_id === thread);
    expect(inTheThread).toHaveLength(5);
    const recorded = await database.db.select({ messageId: posts.messageId }).from(posts);
    expect(recorded.map((p) => p.messageId)).toEqual(expect.arrayContaining(inTheThread.map((m) => m.id)));
  });

  it('tells the person which permissions are missing when it cannot post, and logs it', async () => {
    const logged = captureLog('warn');
    bot = await DiscordTestBot.start(database.db, { log: logged.log });
    bot.fake.failNext(
      (r) => r.method === 'POST' && r.path === `/channels/${bot.fake.textChannelId}/messages`,
      {
        status: 403,
        body: { code: 50013, message: 'Missing Permissions' },
      },
    );
    await digest();
    const [answer] = sentMessages(bot.fake);
    expect(answer).toMatchObject({ kind: 'response', private: true });
    expect(answer?.text).toMatch(
      /can't post in <#\d+>: I need View Channel, Send Messages, Create Public Threads/,
    );
    expect(logged.lines()).toContainEqual(
      expect.objectContaining({
        msg: 'discord permission missing',
        code: 50013,
        channel: bot.fake.textChannelId,
      }),
    );
  });

  it('answers a mention with the usage, in the channel, pinging nobody', async () => {
    bot = await DiscordTestBot.start(database.db);
    await bot.settle(() =>
      bot.fake.userMessage({
        channelId: bot.fake.textChannelId,
        author: { id: bot.userId('dana'), username: 'dana' },
        content: `<@${bot.fake.bot.id}>`,
        mentions: [bot.fake.bot],
      }),
    );
    const reply = bot.fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    // The usage is longer than a message's content may be: it comes as an embed.
    const shown = `${reply?.body.content ?? ''}${JSON.stringify(reply?.body.embeds ?? [])}`;
    expect(shown).toContain('/papers search');
    expect(reply?.body.message_reference).toBeDefined();
    expect(reply?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('stops with a clear error when Discord rejects the token', async () => {
    const fake = await new FakeDiscord().start();
    fake.failNext((r) => r.path === '/gateway/bot', {
      status: 401,
      body: { code: 0, message: '401: Unauthorized' },
    });
    await expect(DiscordTestBot.start(database.db, { fake })).rejects.toThrow(
      /Discord rejected DISCORD_TOKEN/,
    );
    bot = await DiscordTestBot.start(database.db, { fake });
    await vi.waitFor(() => expect(bot.fake.gatewayFrames.some((f) => f.op === 2)).toBe(true), {
      timeout: 10_000,
    });
  });
});
