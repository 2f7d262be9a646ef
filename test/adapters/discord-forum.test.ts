import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planTags, TAG_LIMITS } from '../../adapters/discord/forum.js';
import { queryRows } from '../../db/client.js';
import { type ChannelRow, ensureChannel } from '../../db/repositories/channels.js';
import { runDigest } from '../../src/digest/run.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { type Json, PERMISSION, type RecordedRequest } from '../fakes/discord-server.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DiscordTestBot, readableText } from './discord-harness.js';

const EVOARENA = 'EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments';

/** A digest in a forum channel: the header a post of its own, each paper a tagged post beside it. */
describe('Discord forum digests', () => {
  let database: TestDatabase;
  let bot: DiscordTestBot;
  let forum: ChannelRow;

  beforeEach(async () => {
    database = await createTestDatabase();
    await seedSamplePapers(database.db);
    // The sample's papers come from Hugging Face with keywords only; this one is given arXiv categories.
    await queryRows(
      database.db,
      sql`update papers set categories = '["cs.CL", "cs.AI"]'::jsonb where id = '2606.13681'`,
    );
  });

  afterEach(async () => {
    await bot?.stop();
    await database.destroy();
  });

  const start = async (options: { manageChannels?: boolean } = {}) => {
    bot = await DiscordTestBot.start(database.db);
    if (options.manageChannels === false) {
      // The role the bot joins with, as GUILD_CREATE tells it: restart against the same Discord.
      const { fake } = bot;
      fake.botPermissions &= ~PERMISSION.manageChannels;
      await bot.stop({ keepFake: true });
      bot = await DiscordTestBot.start(database.db, { fake });
    }
    forum = await ensureChannel(database.db, {
      platform: 'discord',
      workspaceId: bot.fake.guildId,
      channelId: bot.fake.forumChannelId,
    });
  };

  const digest = (date = '2026-11-26') =>
    runDigest(
      { db: database.db, adapter: bot.adapter, instanceId: 'test', now: () => new Date() },
      forum,
      date,
    );

  /** The forum posts the bot opened, in order: the thread each made, and what its opening message said. */
  const forumPosts = (from = 0) =>
    bot.fake.requests
      .slice(from)
      .filter((r) => r.method === 'POST' && r.path === `/channels/${bot.fake.forumChannelId}/threads`)
      .map((r: RecordedRequest) => ({
        id: r.response.id as string,
        name: r.response.name as string,
        tags: tagNames(r.response.applied_tags),
        text: readableText(r.body.message),
      }));

  const tagNames = (ids: string[]) => {
    const available: Json[] = bot.fake.channels.get(bot.fake.forumChannelId).available_tags;
    return ids.map((id) => available.find((t) => t.id === id)?.name ?? `unknown ${id}`);
  };

  const messagesIn = (threadId: string) =>
    bot.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`);

  const votes = async () =>
    (
      await topPapers(database.db, { platform: 'discord', workspaceId: bot.fake.guildId }, 'all', new Date())
    ).map((e) => e.votes);

  it('posts each paper as a forum post named by its title, its card first, tagged from the paper', async () => {
    await start();
    bot.fake.addForumTag(bot.fake.forumChannelId, 'CS.CL');
    const evoArena = bot.fake.addForumTag(bot.fake.forumChannelId, 'evoarena');

    expect((await digest()).status).toBe('posted');
    const [header, ...papers] = forumPosts();
    expect(header?.name).toBe('Trending papers — Thu 26 Nov');
    expect(header?.text).toMatch(/Trending papers — Thu 26 Nov\*\* · 5 papers/);
    expect(papers).toHaveLength(5);
    // The header's own post holds no paper.
    expect(messagesIn(header!.id)).toEqual([]);

    const titles = await queryRows<{ id: string; title: string }>(
      database.db,
      sql`select p.id, p.title from posts po join papers p on p.id = po.paper_id order by po.id`,
    );
    expect(papers.map((p) => p.text.split('\n')[0])).toEqual(titles.map((t) => t.title));
    for (const [i, post] of papers.entries()) {
      const title = titles[i]!.title;
      expect(post.name.length).toBeLessThanOrEqual(100);
      expect(post.name).toEqual(title.length <= 100 ? title : expect.stringMatching(/…$/));
      expect(title.startsWith(post.name.slice(0, -1))).toBe(true);
    }
    // Some sample titles are longer than a thread's name may be.
    expect(titles.some((t) => t.title.length > 100)).toBe(true);

    // Categories first, then keywords; existing tags matched whatever their case, the rest created.
    const evo = papers.find((p) => p.text.startsWith(EVOARENA));
    expect(evo?.tags).toEqual(['CS.CL', 'cs.AI', 'evoarena', 'EvoMem', 'memory evolution']);
    const evoRequest = bot.fake.requests.find((r) => r.response?.id === evo?.id);
    expect(evoRequest?.body.applied_tags).toContain(evoArena.id);

    const available: Json[] = bot.fake.channels.get(bot.fake.forumChannelId).available_tags;
    const names = available.map((t) => t.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    // Five papers want more tags than a forum may hold: it is filled to 20 and no further.
    expect(available).toHaveLength(TAG_LIMITS.perForum);
    expect(papers[0]?.tags).toHaveLength(TAG_LIMITS.perPost);
    for (const post of papers) {
      expect(post.tags.length).toBeLessThanOrEqual(TAG_LIMITS.perPost);
      expect(post.tags.every((t) => t.length <= TAG_LIMITS.name)).toBe(true);
    }
    const patches = bot.fake.requests.filter(
      (r) => r.method === 'PATCH' && r.path === `/channels/${bot.fake.forumChannelId}`,
    );
    expect(patches.length).toBeGreaterThan(0);
    expect(bot.fake.requests.filter((r) => r.status >= 400)).toEqual([]);
    // Nothing needed saying in the digest's post.
    expect(messagesIn(header!.id)).toEqual([]);
  });

  it('counts a reaction on a paper post’s opening message as a vote, and not one on the header', async () => {
    await start();
    await digest();
    const [header, first, second] = forumPosts();
    // In Discord a forum post's opening message has the post's id.
    await bot.settle(() => bot.reaction('added', first!.id, first!.id, '👍', 'alice'));
    await bot.settle(() => bot.reaction('added', first!.id, first!.id, '🚀', 'bob'));
    await bot.settle(() => bot.reaction('added', second!.id, second!.id, '🔥', 'carol'));
    await bot.settle(() => bot.reaction('added', header!.id, header!.id, '👍', 'dave'));
    expect(await votes()).toEqual([2, 1]);
    // Text for the header goes in the header's own post, as before.
    const hint = messagesIn(header!.id);
    expect(hint).toHaveLength(1);
    expect(hint[0]?.body.content).toMatch(/Votes count on the papers/);
    expect(forumPosts()).toHaveLength(6);

    await bot.settle(() => bot.reaction('removed', first!.id, first!.id, '🚀', 'bob'));
    expect(await votes()).toEqual([1, 1]);
  });

  it('opens a paper’s post once when it stopped after Discord opened it, and counts votes on that post', async () => {
    await start();
    let papersOpened = 0;
    const isPost = (r: { method: string; path: string }) =>
      r.method === 'POST' && r.path === `/channels/${bot.fake.forumChannelId}/threads`;
    // Discord opens the third paper's post, but the bot never hears the answer: it stops there.
    bot.fake.failNext(
      (r) => isPost(r) && r.body.name !== 'Trending papers — Thu 26 Nov' && ++papersOpened === 3,
      { status: 400, body: { code: 0, message: 'the answer that never came' } },
      { afterHandling: true },
    );
    await digest().catch(() => undefined);
    const threads = () =>
      [...bot.fake.channels.values()].filter((c: Json) => c.parent_id === bot.fake.forumChannelId);
    expect(threads()).toHaveLength(4);
    const unrecorded: Json = threads().at(-1);

    // Started again, the bot learns the forum's open posts from the gateway and resumes the digest.
    const { fake } = bot;
    await bot.stop({ keepFake: true });
    bot = await DiscordTestBot.start(database.db, { fake });
    const before = fake.requests.length;
    expect((await digest()).status).toBe('posted');
    expect(forumPosts(before).map((p) => p.name)).not.toContain(unrecorded.name);
    expect(threads()).toHaveLength(6);
    const names = threads().map((t: Json) => t.name);
    expect(new Set(names).size).toBe(names.length);

    const recorded = await queryRows<{ message_id: string }>(
      database.db,
      sql`select message_id from posts order by id`,
    );
    expect(recorded.map((r) => r.message_id)).toContain(unrecorded.id);
    await bot.settle(() => bot.reaction('added', unrecorded.id, unrecorded.id, '👍', 'alice'));
    expect(await votes()).toEqual([1]);
  });

  it('without Manage Channels, applies only the tags the forum has and says so once', async () => {
    await start({ manageChannels: false });
    bot.fake.addForumTag(bot.fake.forumChannelId, 'EvoArena');
    const tagsBefore = structuredClone(bot.fake.channels.get(bot.fake.forumChannelId).available_tags);

    await digest('2026-11-26');
    const [header, ...papers] = forumPosts();
    expect(papers).toHaveLength(5);
    expect(papers.find((p) => p.text.startsWith(EVOARENA))?.tags).toEqual(['EvoArena']);
    expect(papers.filter((p) => !p.text.startsWith(EVOARENA)).every((p) => p.tags.length === 0)).toBe(true);
    expect(bot.fake.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(bot.fake.channels.get(bot.fake.forumChannelId).available_tags).toEqual(tagsBefore);

    const notices = messagesIn(header!.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.body.content).toMatch(/Manage Channels permission in <#\d+>/);
    expect(notices[0]?.body.allowed_mentions).toEqual({ parse: [] });

    // The next day's digest posts its papers the same way, without telling the forum again.
    const from = bot.fake.requests.length;
    await digest('2026-11-27');
    const [nextHeader] = forumPosts(from);
    expect(nextHeader?.name).toBe('Trending papers — Fri 27 Nov');
    expect(messagesIn(nextHeader!.id)).toEqual([]);
    expect(messagesIn(header!.id)).toHaveLength(1);
  });

  it('posts without the missing tags when Discord refuses to create them, and says so once', async () => {
    await start();
    // Taken away after the bot joined: what it knows of its permissions says it may.
    bot.fake.botPermissions &= ~PERMISSION.manageChannels;
    await digest();
    const [header, ...papers] = forumPosts();
    expect(papers).toHaveLength(5);
    expect(papers.every((p) => p.tags.length === 0)).toBe(true);
    expect(bot.fake.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toContain(403);
    expect(messagesIn(header!.id).map((r) => r.body.content)).toEqual([
      expect.stringMatching(/Manage Channels/),
    ]);
  });
});

describe('planTags', () => {
  const tag = (name: string, moderated = false) => ({ id: `id-${name}`, name, moderated });
  const allowed = { create: true, moderated: false };

  it('takes categories before keywords, at most 5, matching names whatever their case', () => {
    const plan = planTags(
      { categories: ['cs.LG', 'CS.CL'], keywords: ['RLHF', 'cs.cl', 'reward models', 'agents', 'ppo'] },
      [tag('cs.cl'), tag('rlhf')],
      allowed,
    );
    expect(plan.picks).toEqual([
      { create: 'cs.LG' },
      { id: 'id-cs.cl' },
      { id: 'id-rlhf' },
      { create: 'reward models' },
      { create: 'agents' },
    ]);
    expect(plan.refused).toEqual([]);
  });

  it('passes over names longer than a tag may be, and moderated tags the bot may not apply', () => {
    const plan = planTags(
      { categories: [], keywords: ['multimodal large language models', 'safety', 'vision'] },
      [tag('safety', true)],
      allowed,
    );
    expect(plan.picks).toEqual([{ create: 'vision' }]);
    expect(
      planTags({ categories: [], keywords: ['safety'] }, [tag('safety', true)], {
        create: true,
        moderated: true,
      }).picks,
    ).toEqual([{ id: 'id-safety' }]);
  });

  it('creates no more than the forum has room for, and names what it may not create', () => {
    const full = Array.from({ length: 19 }, (_, i) => tag(`t${i}`));
    expect(planTags({ categories: ['a', 'b', 't3'], keywords: [] }, full, allowed).picks).toEqual([
      { create: 'a' },
      { id: 'id-t3' },
    ]);
    expect(
      planTags({ categories: ['a', 't3', 'b'], keywords: [] }, full, { create: false, moderated: false }),
    ).toEqual({ picks: [{ id: 'id-t3' }], refused: ['a', 'b'] });
  });
});
