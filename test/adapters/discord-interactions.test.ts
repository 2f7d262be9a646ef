import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandTable } from '../../src/commands/table.js';
import { describeInput } from '../../src/domain/commands.js';
import { UserError } from '../../src/domain/errors.js';
import type { Logger } from '../../src/domain/log.js';
import type { CommandInvocation, SharedMessage } from '../../src/domain/ports.js';
import type { OutboundMessage } from '../../src/domain/types.js';
import { captureLog } from '../helpers/log.js';
import {
  ADMIN_COMMAND,
  DiscordTestBot,
  interactionFor,
  PAPERS_COMMAND,
  readableText,
} from './discord-harness.js';

/**
 * The adapter against a fake Discord, with a stand-in core that records what it is handed and answers
 * as told: each subcommand's typed options, who may run what, and which callbacks Discord receives.
 */
describe('Discord interactions', () => {
  let bot: DiscordTestBot;
  let received: CommandInvocation[];
  let answers: { message: OutboundMessage; private: boolean }[][];

  let shared: SharedMessage[];

  const start = async (log?: Logger, linkShares = false) => {
    received = [];
    answers = [];
    shared = [];
    bot = await DiscordTestBot.start(null, {
      ...(log ? { log } : {}),
      linkShares,
      handlers: () => ({
        // What the core does first: read the input with the command table, or answer what is wrong.
        command: async (invocation) => {
          received.push(invocation);
          try {
            commandTable.prepare(invocation.input);
          } catch (err) {
            if (!(err instanceof UserError)) throw err;
            await invocation.ref.respond({ kind: 'text', text: err.message }, { private: true });
            return;
          }
          for (const answer of answers.shift() ?? [
            { message: { kind: 'text', text: `ran ${describeInput(invocation.input)}` }, private: true },
          ]) {
            await invocation.ref.respond(answer.message, { private: answer.private });
          }
        },
        reaction: async () => {},
        message: async (message) => {
          shared.push(message);
        },
      }),
    });
  };

  afterEach(async () => {
    await bot.stop();
  });

  it('hands every subcommand to the core as its typed options, deferring first', async () => {
    await start();
    const texts = [
      'help search',
      'search kv cache -quantization author:"Tri Dao"',
      'top month',
      'digest',
      'share 2401.12345',
      'pick',
      'discussed 2401.12345',
      'history',
      'settings',
      'digest off',
      'schedule 09:30 Europe/Berlin weekdays',
      'size 7',
      'follow cat:cs.CL',
      'unfollow cat:cs.CL',
      'mute crypto',
      'unmute crypto',
      'pick fri 15:00',
      'recap off',
      'empty-note on',
    ];
    for (const text of texts) {
      const { command, subcommand, options } = interactionFor(text);
      const interaction = await settleSlash(command, subcommand, options, 'ada', { admin: true });
      const calls = bot.answersTo(interaction);
      expect(calls[0]?.body).toMatchObject({ type: 5 });
      expect(calls.at(-1)?.body.content).toBe(`ran ${text}`);
    }
    expect(received.map((r) => describeInput(r.input))).toEqual(texts);
    expect(received.every((r) => r.input.kind === 'options')).toBe(true);
    expect(received.find((r) => describeInput(r.input) === 'size 7')?.input).toEqual({
      kind: 'options',
      admin: true,
      name: 'size',
      values: { papers: 7 },
    });
    expect(received.every((r) => r.user.isAdmin && r.channel.workspaceId === bot.fake.guildId)).toBe(true);
  });

  it('keeps search answers private and leaderboards public from the first callback on', async () => {
    await start();
    const search = await settleSlash(PAPERS_COMMAND, 'search', [{ name: 'query', value: 'rlhf' }], 'ada');
    const top = await settleSlash(PAPERS_COMMAND, 'top', [], 'ada');
    expect(bot.answersTo(search)[0]?.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(bot.answersTo(top)[0]?.body.data?.flags ?? 0).toBe(0);
    expect(received.map((r) => r.user.isAdmin)).toEqual([false, false]);
  });

  it('refuses settings to a member without Manage Channels, and the core never hears of it', async () => {
    await start();
    const interaction = await slashAndWait(ADMIN_COMMAND, 'size', [{ name: 'papers', value: 5 }], 'mallory');
    const [reply] = bot.answersTo(interaction);
    expect(reply?.body.type).toBe(4);
    expect(reply?.body.data.flags).toBe(64);
    expect(reply?.body.data.content).toMatch(/Manage Channels/);
    expect(received).toEqual([]);
  });

  it('answers an option out of range with what would work, and changes nothing', async () => {
    await start();
    const interaction = await settleSlash(ADMIN_COMMAND, 'size', [{ name: 'papers', value: 25 }], 'ada', {
      admin: true,
    });
    const calls = bot.answersTo(interaction);
    expect(calls[0]?.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(calls.at(-1)?.body.content).toBe('`papers` must be a whole number from 1 to 20 (got 25).');
  });

  it('suggests IANA timezones as the person types', async () => {
    await start();
    const interaction = bot.autocomplete('schedule', 'timezone', 'berl', 'ada');
    const answer = await bot.fake.waitForRequest(
      (r) => r.path === `/interactions/${interaction.id}/${interaction.token}/callback`,
    );
    expect(answer.body).toEqual({
      type: 8,
      data: { choices: [{ name: 'Europe/Berlin', value: 'Europe/Berlin' }] },
    });
  });

  it('follows up after the first answer, and replaces the acknowledgement when visibility changes', async () => {
    await start();
    answers.push([
      { message: { kind: 'text', text: 'public now' }, private: false },
      { message: { kind: 'text', text: 'and a second note' }, private: true },
    ]);
    const interaction = await settleSlash(PAPERS_COMMAND, 'help', [], 'ada');
    const calls = bot.answersTo(interaction).map((r) => ({
      method: r.method,
      type: r.body?.type,
      flags: r.body?.data?.flags ?? r.body?.flags,
    }));
    // Deferred privately (help), answered publicly: the private placeholder goes, a public message comes.
    expect(calls).toEqual([
      { method: 'POST', type: 5, flags: 64 },
      { method: 'DELETE', type: undefined, flags: undefined },
      { method: 'POST', type: undefined, flags: undefined },
      { method: 'POST', type: undefined, flags: 64 },
    ]);
    expect(readableText(bot.answersTo(interaction)[2]?.body)).toBe('public now');
  });

  it('runs a button as the command it stands for, paging in place', async () => {
    await start();
    const page2: OutboundMessage = {
      kind: 'search-results',
      query: 'kv cache',
      hits: [],
      offset: 5,
      total: 7,
      buttons: [{ label: 'Previous', command: 'search kv cache page:1' }],
    };
    answers.push([{ message: page2, private: true }]);
    const interaction = await bot.settle(() =>
      bot.press('cmd:search kv cache page:2', resultsMessage(), 'bob'),
    );
    expect(received[0]).toMatchObject({
      input: { kind: 'text', text: 'search kv cache page:2' },
      fromButton: true,
    });
    const [ack, edit] = bot.answersTo(interaction);
    expect(ack?.body).toEqual({ type: 6 });
    expect(edit?.method).toBe('PATCH');
    expect(edit?.body.components[0].components[0]).toMatchObject({
      label: 'Previous',
      custom_id: 'cmd:search kv cache page:1',
    });
  });

  it('keeps commands too long for a custom_id, and says when a button has expired', async () => {
    await start();
    const long = `search ${'attention '.repeat(15).trim()}`;
    answers.push([
      {
        message: {
          kind: 'search-results',
          query: long,
          hits: [],
          offset: 0,
          total: 9,
          buttons: [{ label: 'Next', command: long }],
        },
        private: true,
      },
    ]);
    await settleSlash(PAPERS_COMMAND, 'search', [{ name: 'query', value: 'x' }], 'ada');
    const edit = bot.fake.requests.find((r) => r.method === 'PATCH');
    const customId: string = edit?.body.components[0].components[0].custom_id;
    expect(customId.length).toBeLessThanOrEqual(100);
    await bot.settle(() => bot.press(customId, resultsMessage(), 'ada'));
    expect(received.at(-1)?.input).toEqual({ kind: 'text', text: long });

    const stale = bot.press('key:zz', resultsMessage(), 'ada');
    const reply = await bot.fake.waitForRequest((r) => r.path.startsWith(`/interactions/${stale.id}/`));
    expect(reply.body.data.content).toMatch(/expired/);
  });

  it('survives an interaction Discord no longer accepts (10062) and serves the next one', async () => {
    const logged = captureLog();
    await start(logged.log);
    const late = bot.slash(PAPERS_COMMAND, 'help', [], 'ada');
    bot.fake.failNext((r) => r.path.startsWith(`/interactions/${late.id}/`), {
      status: 404,
      body: { code: 10062, message: 'Unknown interaction' },
    });
    await bot.fake.waitForRequest((r) => r.path.startsWith(`/interactions/${late.id}/`));
    const next = await settleSlash(PAPERS_COMMAND, 'help', [], 'ada');
    expect(received.map((r) => r.ref.id)).toEqual([next.id]);
    expect(bot.answersTo(next).map((r) => r.status)).toEqual([204, 200]);
    await vi.waitFor(
      () =>
        expect(logged.lines()).toContainEqual(expect.objectContaining({ level: 40, interaction: late.id })),
      { timeout: 10_000 },
    );
  });

  it('hands pasted messages to the core only with link shares on, and never those of bots', async () => {
    const paste = (author: string, isBot: boolean, content: string) =>
      bot.fake.userMessage({
        channelId: bot.fake.textChannelId,
        author: { id: bot.userId(author), username: author, bot: isBot },
        content,
      });
    await start(undefined, true);
    paste('another-bot', true, 'https://arxiv.org/abs/2401.00002');
    await bot.settle(() => paste('ada', false, 'worth a read: https://arxiv.org/abs/2401.00001'));
    expect(shared).toEqual([
      {
        message: {
          channel: {
            platform: 'discord',
            workspaceId: bot.fake.guildId,
            channelId: bot.fake.textChannelId,
            name: '#papers',
          },
          messageId: expect.any(String),
        },
        user: { id: bot.userId('ada'), name: 'ada', isAdmin: false },
        text: 'worth a read: https://arxiv.org/abs/2401.00001',
      },
    ]);
    await bot.stop();

    await start();
    paste('ada', false, 'https://arxiv.org/abs/2401.00003');
    await bot.settle(() => bot.slash(PAPERS_COMMAND, 'help', [], 'ada'));
    expect(shared).toEqual([]);
  });

  function settleSlash(...args: Parameters<DiscordTestBot['slash']>) {
    return bot.settle(() => bot.slash(...args));
  }

  /** For answers the adapter gives itself: waits for the interaction's first callback. */
  async function slashAndWait(
    command: typeof PAPERS_COMMAND,
    subcommand: string,
    options: { name: string; value: string | number }[],
    user: string,
    admin = false,
  ) {
    const interaction = bot.slash(command, subcommand, options, user, { admin });
    await bot.fake.waitForRequest((r) => r.path.startsWith(`/interactions/${interaction.id}/`));
    return interaction;
  }

  function resultsMessage() {
    return {
      id: bot.fake.snowflake(),
      channel_id: bot.fake.textChannelId,
      author: bot.fake.bot,
      content: 'Results 1–5 of 7',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 64,
      type: 20,
    };
  }
});
