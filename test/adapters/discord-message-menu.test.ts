import { readFileSync } from 'node:fs';
import { GatewayIntentBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandTable } from '../../src/commands/table.js';
import type { CommandInvocation } from '../../src/domain/ports.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { CHANNEL, type Json } from '../fakes/discord-server.js';
import { seedSamplePapers } from '../helpers/core.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DiscordTestBot, readableText, sentMessages } from './discord-harness.js';

/** A message command interaction as Discord documents it (type 2, data.type 3), recorded with its own ids. */
const FIXTURE = new URL('../fixtures/discord/message-command-interaction.json', import.meta.url);
const RECORDED = {
  applicationId: '1184364052217450496',
  guildId: '1184364391217823754',
  channelId: '1184364391217823757',
  targetId: '1251947996675817533',
};

const NO_LINK = /^That message has no arXiv, alphaXiv, Hugging Face or arXiv DOI link/;
const EVOARENA = 'EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments';

/** "Share paper" on a message's menu, through discord.js and the real core against the fake Discord. */
describe('Discord message menu: Share paper', () => {
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

  /** The recorded interaction, its server, channel and application made the fake's. */
  const recorded = (): Json => {
    const text = readFileSync(FIXTURE, 'utf8')
      .replaceAll(RECORDED.applicationId, bot.fake.applicationId)
      .replaceAll(RECORDED.guildId, bot.fake.guildId)
      .replaceAll(RECORDED.channelId, bot.fake.textChannelId);
    return JSON.parse(text);
  };

  const posted = (from = 0) =>
    bot.fake.requests
      .slice(from)
      .filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'))
      .map((r) => r.path);

  it('posts the linked paper as a votable card in a new thread on the message, and answers privately', async () => {
    bot = await DiscordTestBot.start(database.db);
    // The bot does not read message content: Discord sends the chosen message with the interaction.
    const identify = bot.fake.gatewayFrames.find((f) => f.op === 2);
    expect(identify?.d.intents & GatewayIntentBits.MessageContent).toBe(0);

    const interaction = recorded();
    await bot.settle(() => bot.fake.dispatch('INTERACTION_CREATE', interaction));

    const [ack, ...answers] = bot.answersTo(interaction);
    expect(ack?.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(answers.map((a) => readableText(a.body))).toEqual(['Shared 2606.13681 in that message’s thread.']);
    const target = RECORDED.targetId;
    expect(posted()).toEqual([
      `/channels/${bot.fake.textChannelId}/messages/${target}/threads`,
      `/channels/${target}/messages`,
    ]);
    // The thread is named after the paper, and the card is the only thing the channel sees.
    expect(bot.fake.channels.get(target)?.name).toBe(EVOARENA);
    const card = sentMessages(bot.fake).find((m) => m.kind === 'reply');
    expect(card).toMatchObject({ threadId: target, private: false });
    expect(card?.text).toContain(EVOARENA);
    expect(card?.text).toContain('Shared by ada.lovelace');

    await bot.settle(() => bot.reaction('added', target, card!.messageId!, '👍', 'bob'));
    expect(await votes()).toEqual([1]);
  });

  it('says privately that a message without a paper link has nothing to share, and posts nothing', async () => {
    bot = await DiscordTestBot.start(database.db);
    for (const content of ['Anyone read the new Mamba paper?', '']) {
      const message = bot.fake.personMessage({
        channelId: bot.fake.textChannelId,
        author: { id: bot.userId('ada'), username: 'ada' },
        content,
      });
      const before = bot.fake.requests.length;
      const interaction = await bot.settle(() => bot.messageMenu('Share paper', message, 'ada'));
      const [ack, answer, ...more] = bot.answersTo(interaction);
      expect(ack?.body).toEqual({ type: 5, data: { flags: 64 } });
      expect(readableText(answer?.body)).toMatch(NO_LINK);
      expect(more).toEqual([]);
      expect(posted(before)).toEqual([]);
    }
    expect(sentMessages(bot.fake).every((m) => m.kind === 'response' && m.private)).toBe(true);
  });

  it('shares a message inside a thread in that thread, counted under the parent channel', async () => {
    bot = await DiscordTestBot.start(database.db);
    const thread = bot.fake.addChannel({
      id: bot.fake.snowflake(),
      type: CHANNEL.publicThread,
      parent_id: bot.fake.textChannelId,
      name: 'reading group',
      thread_metadata: { archived: false, auto_archive_duration: 10080, locked: false },
    });
    const message = bot.fake.personMessage({
      channelId: thread.id,
      author: { id: bot.userId('ada'), username: 'ada' },
      content: 'this one https://huggingface.co/papers/2606.13681',
    });
    const interaction = await bot.settle(() => bot.messageMenu('Share paper', message, 'ada'));
    expect(readableText(bot.answersTo(interaction).at(-1)?.body)).toBe(
      'Shared 2606.13681 in that message’s thread.',
    );
    // Into the existing thread: no thread is started on a message that is already in one.
    expect(posted()).toEqual([`/channels/${thread.id}/messages`]);
    const card = sentMessages(bot.fake).find((m) => m.kind === 'reply');
    await bot.settle(() => bot.reaction('added', thread.id, card!.messageId!, '🔥', 'carol'));
    expect(await votes()).toEqual([1]);

    // The same message shared again is the same share.
    const again = await bot.settle(() => bot.messageMenu('Share paper', message, 'bob'));
    expect(readableText(bot.answersTo(again).at(-1)?.body)).toBe(
      '2606.13681 was already shared from that message.',
    );
    expect(sentMessages(bot.fake).filter((m) => m.kind === 'reply')).toHaveLength(1);
  });

  it('hands the core the chosen message as its target, under the thread’s parent channel', async () => {
    const received: CommandInvocation[] = [];
    bot = await DiscordTestBot.start(null, {
      handlers: () => ({
        command: async (invocation) => {
          received.push(invocation);
          await invocation.ref.respond({ kind: 'text', text: 'ok' }, { private: true });
        },
        reaction: async () => {},
      }),
    });
    const thread = bot.fake.addChannel({
      id: bot.fake.snowflake(),
      type: CHANNEL.publicThread,
      parent_id: bot.fake.textChannelId,
      name: 'reading group',
      thread_metadata: { archived: false, auto_archive_duration: 10080, locked: false },
    });
    const message = bot.fake.personMessage({
      channelId: thread.id,
      author: { id: bot.userId('ada'), username: 'ada' },
      content: 'see https://arxiv.org/abs/2606.13681',
    });
    await bot.settle(() => bot.messageMenu('Share paper', message, 'bob'));
    const parent = {
      platform: 'discord',
      workspaceId: bot.fake.guildId,
      channelId: bot.fake.textChannelId,
      name: '#papers',
    };
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      channel: parent,
      user: { id: bot.userId('bob'), name: 'bob', isAdmin: false },
      input: { kind: 'text', text: 'share see https://arxiv.org/abs/2606.13681' },
      target: { channel: parent, messageId: message.id, threadId: thread.id },
    });
    expect(received[0]?.fromButton).toBeUndefined();
    expect(commandTable.visibility(received[0]!.input)).toBe('private');
  });

  it('answers a message command it does not know privately, without running anything', async () => {
    const received: CommandInvocation[] = [];
    bot = await DiscordTestBot.start(null, {
      handlers: () => ({
        command: async (invocation) => {
          received.push(invocation);
        },
        reaction: async () => {},
      }),
    });
    const message = bot.fake.personMessage({
      channelId: bot.fake.textChannelId,
      author: { id: bot.userId('ada'), username: 'ada' },
      content: 'https://arxiv.org/abs/2606.13681',
    });
    const interaction = bot.messageMenu('Translate', message, 'ada');
    const reply = await bot.fake.waitForRequest((r) => r.path.startsWith(`/interactions/${interaction.id}/`));
    expect(reply.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(received).toEqual([]);
  });
});
