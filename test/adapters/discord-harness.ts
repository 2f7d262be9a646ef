import { PermissionFlagsBits } from 'discord.js';
import { type DiscordCommand, discordCommands } from '../../adapters/discord/commands.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../adapters/discord/index.js';
import type { Db } from '../../db/client.js';
import type { CoreDeps } from '../../src/commands/define.js';
import { createHandlers } from '../../src/commands/handlers.js';
import { commandTable } from '../../src/commands/table.js';
import type { InboundHandlers } from '../../src/domain/ports.js';
import { createLogger, type Logger } from '../../src/log.js';
import { CHANNEL, FakeDiscord, type Json, type RecordedRequest } from '../fakes/discord-server.js';
import { scheduledCore, testCoreDeps } from '../helpers/core.js';
import type { AdapterHarness, SentMessage } from './contract.js';

const MEMBER =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.AddReactions;
const ADMIN = MEMBER | PermissionFlagsBits.ManageChannels;

/** `/papers` and `/papers-admin` as the bot registers them. */
export const [PAPERS_COMMAND, ADMIN_COMMAND] = discordCommands(commandTable);

export interface DiscordBotOptions {
  core?: Partial<CoreDeps>;
  log?: Logger;
  /** An existing fake (to restart the bot against the same Discord). */
  fake?: FakeDiscord;
  linkShares?: boolean;
  /** Stands in for the core, to see exactly what the adapter hands it. */
  handlers?: (adapter: DiscordAdapter) => InboundHandlers;
}

/** The real adapter and discord.js, connected to a fake Discord on 127.0.0.1 and wired to the core. */
export class DiscordTestBot {
  private inflight = 0;
  private settled = 0;
  private waiters = new Set<() => void>();
  private readonly names = new Map<string, string>();

  private constructor(
    readonly fake: FakeDiscord,
    readonly adapter: DiscordAdapter,
  ) {}

  /** With `db`, the real core answers; without, `options.handlers` must stand in for it. */
  static async start(db: Db | null, options: DiscordBotOptions = {}): Promise<DiscordTestBot> {
    const fake = options.fake ?? (await new FakeDiscord().start());
    const adapter = createDiscordAdapter({
      token: 'fake-token',
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      commands: commandTable,
      log: options.log ?? createLogger('silent'),
      linkShares: options.linkShares ?? false,
    });
    const bot = new DiscordTestBot(fake, adapter);
    const handlers = options.handlers
      ? options.handlers(adapter)
      : db
        ? createHandlers(testCoreDeps(db, options.core), adapter)
        : undefined;
    if (!handlers) throw new Error('DiscordTestBot needs a database or stand-in handlers');
    await adapter.start(bot.track(handlers));
    return bot;
  }

  async stop({ keepFake = false } = {}): Promise<void> {
    await this.adapter.stop();
    if (!keepFake) await this.fake.close();
  }

  /** A stable snowflake for a person named in a test. */
  userId(name: string): string {
    let id = this.names.get(name);
    if (!id) {
      id = this.fake.snowflake();
      this.names.set(name, id);
    }
    return id;
  }

  /** Sends INTERACTION_CREATE for a slash command; returns the interaction's id and token. */
  slash(
    command: DiscordCommand,
    subcommand: string,
    options: { name: string; value: string | number }[],
    user: string,
    { admin = false, channelId = this.fake.textChannelId } = {},
  ): { id: string; token: string } {
    const data = {
      id: this.fake.snowflake(),
      name: command.name,
      type: 1,
      options: [
        {
          type: 1,
          name: subcommand,
          options: options.map((o) => ({ ...o, type: typeof o.value === 'number' ? 4 : 3 })),
        },
      ],
    };
    return this.interact(2, data, user, admin, channelId);
  }

  /**
   * Chooses a message command (Apps → `name`) on a message, as Discord sends it: an application command
   * of type 3 whose target is the message, resolved with its content, in the message's channel or thread.
   */
  messageMenu(name: string, message: Json, user: string): { id: string; token: string } {
    const data = {
      id: this.fake.snowflake(),
      name,
      type: 3,
      guild_id: this.fake.guildId,
      target_id: message.id,
      resolved: { messages: { [message.id]: message } },
    };
    return this.interact(2, data, user, false, message.channel_id);
  }

  /** Presses a button on a message the bot sent (in the text channel, or in the thread given). */
  press(
    customId: string,
    message: unknown,
    user: string,
    channelId = this.fake.textChannelId,
  ): { id: string; token: string } {
    return this.interact(3, { custom_id: customId, component_type: 2 }, user, false, channelId, message);
  }

  /** Types into an autocomplete option. */
  autocomplete(
    subcommand: string,
    option: string,
    typed: string,
    user: string,
  ): { id: string; token: string } {
    const data = {
      id: this.fake.snowflake(),
      name: ADMIN_COMMAND.name,
      type: 1,
      options: [
        { type: 1, name: subcommand, options: [{ type: 3, name: option, value: typed, focused: true }] },
      ],
    };
    return this.interact(4, data, user, true, this.fake.textChannelId);
  }

  reaction(
    action: 'added' | 'removed',
    channelId: string,
    messageId: string,
    emoji: string,
    user: string,
  ): void {
    const userId = user === 'bot' ? this.fake.bot.id : this.userId(user);
    this.fake.dispatch(action === 'added' ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', {
      user_id: userId,
      channel_id: channelId,
      message_id: messageId,
      guild_id: this.fake.guildId,
      emoji: { id: null, name: emoji },
      ...(action === 'added'
        ? { member: { user: { id: userId, username: user }, roles: [], joined_at: new Date().toISOString() } }
        : {}),
      type: 0,
      burst: false,
    });
  }

  /** How many core calls have finished so far. */
  get handled(): number {
    return this.settled;
  }

  /** Runs `work` (which sends something) and waits until every core call it caused has finished. */
  async settle<T>(work: () => T, timeoutMs = 10_000): Promise<T> {
    const before = this.settled;
    const result = work();
    await this.until(() => this.settled > before && this.inflight === 0, timeoutMs);
    return result;
  }

  /** Waits until `count` core calls in all have finished. */
  async handledAtLeast(count: number, timeoutMs = 60_000): Promise<void> {
    await this.until(() => this.settled >= count, timeoutMs);
  }

  private async until(done: () => boolean, timeoutMs: number): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the bot did not finish handling events within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** The answers Discord received for one interaction, in order. */
  answersTo(interaction: { id: string; token: string }): RecordedRequest[] {
    return this.fake.requests.filter(
      (r) =>
        r.path.startsWith(`/interactions/${interaction.id}/`) || r.path.includes(`/${interaction.token}`),
    );
  }

  private interact(
    type: number,
    data: unknown,
    user: string,
    admin: boolean,
    channelId: string,
    message?: unknown,
  ): { id: string; token: string } {
    const id = this.fake.snowflake();
    const token = `token-${id}`;
    const userId = this.userId(user);
    this.fake.dispatch('INTERACTION_CREATE', {
      id,
      token,
      application_id: this.fake.applicationId,
      type,
      version: 1,
      guild_id: this.fake.guildId,
      channel_id: channelId,
      channel: this.fake.channels.get(channelId),
      member: {
        user: { id: userId, username: user, discriminator: '0', global_name: null, avatar: null },
        roles: [],
        permissions: (admin ? ADMIN : MEMBER).toString(),
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      app_permissions: this.fake.botPermissions.toString(),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': this.fake.guildId },
      context: 0,
      data,
      ...(message ? { message } : {}),
    });
    return { id, token };
  }

  private track(handlers: InboundHandlers): InboundHandlers {
    const wrap =
      <A, R>(fn: (arg: A) => Promise<R>) =>
      async (arg: A): Promise<R> => {
        this.inflight++;
        try {
          return await fn(arg);
        } finally {
          this.inflight--;
          this.settled++;
          for (const waiter of [...this.waiters]) waiter();
        }
      };
    return {
      command: wrap(handlers.command),
      reaction: wrap(handlers.reaction),
      ...(handlers.message ? { message: wrap(handlers.message) } : {}),
      ...(handlers.ballotVote ? { ballotVote: wrap(handlers.ballotVote) } : {}),
      ...(handlers.eventInterest ? { eventInterest: wrap(handlers.eventInterest) } : {}),
    };
  }
}

/** `digest on` → `/papers-admin digest state:on`; other text → the `/papers` subcommand with its options. */
export function interactionFor(text: string): {
  command: DiscordCommand;
  subcommand: string;
  options: { name: string; value: string | number }[];
} {
  const all = text.trim().split(/\s+/);
  // A command of two words (`session where`) is its last word on Discord, under its own command.
  const twoWords = commandTable.specs.find(
    (s) => s.words.length === 2 && s.words.join(' ') === all.slice(0, 2).join(' '),
  );
  const [name = 'help', ...words] = twoWords ? all.slice(1) : all;
  const admin = ADMIN_COMMAND.subcommands.find((s) => s.name === name);
  // digest and pick exist in both commands: with arguments they are the admin's.
  const inBoth = PAPERS_COMMAND.subcommands.some((s) => s.name === name);
  const isAdmin = twoWords ? twoWords.admin : admin && (!inBoth || words.length > 0);
  const command = isAdmin ? ADMIN_COMMAND : PAPERS_COMMAND;
  const spec = command.subcommands.find((s) => s.name === name);
  if (!spec)
    return {
      command,
      subcommand: name,
      options: words.length ? [{ name: 'text', value: words.join(' ') }] : [],
    };
  const options = spec.options.flatMap((option, i) => {
    const last = i === spec.options.length - 1;
    const value = last ? words.slice(i).join(' ') : words[i];
    if (!value) return [];
    return [{ name: option.name, value: option.type === 'integer' ? Number(value) : value }];
  });
  return { command, subcommand: name, options };
}

/** What a person reads in a message body: content, then each embed's title, author, text, fields and footer. */
export function readableText(body: Json): string {
  const embeds = (body?.embeds ?? []) as Json[];
  return [
    body?.content ?? '',
    ...embeds.flatMap((e) => [
      e.title ?? '',
      e.author?.name ?? '',
      e.description ?? '',
      ...(e.fields ?? []).map((f: Json) => `${f.name}: ${f.value}`),
      e.footer?.text ?? '',
    ]),
    // Buttons, as a person sees them under the message.
    ...((body?.components ?? []) as Json[]).flatMap((row) =>
      ((row.components ?? []) as Json[]).map((c) => (c.label ? `[${c.label}]` : '')),
    ),
  ]
    .filter(Boolean)
    .join('\n');
}

/** Everything the bot sent, read back from the calls the fake received. */
export function sentMessages(fake: FakeDiscord): SentMessage[] {
  const sent: SentMessage[] = [];
  const deferredPrivate = new Map<string, boolean>();
  for (const r of fake.requests) {
    if (r.status >= 300) continue;
    const callback = /^\/interactions\/[^/]+\/([^/]+)\/callback$/.exec(r.path);
    const webhook = /^\/webhooks\/[^/]+\/([^/]+)(\/messages\/@original)?$/.exec(r.path);
    const channelPost = /^\/channels\/([^/]+)\/messages$/.exec(r.path);
    if (callback) {
      const isPrivate = ((r.body?.data?.flags ?? 0) & 64) === 64;
      if (r.body.type === 5) deferredPrivate.set(callback[1]!, isPrivate);
      if (r.body.type === 4 || r.body.type === 7) {
        sent.push({ kind: 'response', private: isPrivate, text: readableText(r.body.data) });
      }
    } else if (webhook && (r.method === 'PATCH' || r.method === 'POST')) {
      const isPrivate =
        r.method === 'PATCH'
          ? (deferredPrivate.get(webhook[1]!) ?? true)
          : ((r.body?.flags ?? 0) & 64) === 64;
      sent.push({
        kind: 'response',
        messageId: r.response.id,
        private: isPrivate,
        text: readableText(r.body),
      });
    } else if (r.method === 'PATCH' && /^\/channels\/[^/]+\/messages\/[^/]+$/.test(r.path)) {
      sent.push({ kind: 'update', messageId: r.response.id, private: false, text: readableText(r.body) });
    } else if (r.method === 'POST' && /\/polls\/[^/]+\/expire$/.test(r.path)) {
      sent.push({ kind: 'update', messageId: r.response.id, private: false, text: 'poll ended' });
    } else if (channelPost && r.method === 'POST') {
      // Discord answers a repeated nonce with the message it already created: that is no new message.
      if (sent.some((m) => m.messageId === r.response.id)) continue;
      const channel = fake.channels.get(channelPost[1]!);
      const inThread = channel?.type === CHANNEL.publicThread;
      sent.push({
        kind: channel?.type === CHANNEL.dm ? 'dm' : inThread ? 'reply' : 'post',
        messageId: r.response.id,
        ...(inThread ? { threadId: channel.id } : {}),
        private: false,
        text: [readableText(r.body), ...pollText(r.body?.poll)].join('\n'),
      });
    } else if (r.method === 'POST' && /^\/channels\/[^/]+\/threads$/.test(r.path)) {
      sent.push({
        kind: 'post',
        messageId: r.response.id,
        private: false,
        text: readableText(r.body.message),
      });
    }
  }
  return sent;
}

/** A poll as a person reads it: the question and the answers. */
function pollText(poll: Json): string[] {
  if (!poll) return [];
  return [
    poll.question?.text ?? '',
    ...(poll.answers ?? []).map((a: Json) => a.poll_media?.text ?? a.text ?? ''),
  ];
}

/** Where a message the bot sent lives (its thread for a reply). */
function channelOfMessage(fake: FakeDiscord, messageId: string): string {
  const request = fake.requests.find((r) => r.response?.id === messageId && r.method === 'POST');
  const posted = request ? /^\/channels\/([^/]+)\//.exec(request.path)?.[1] : undefined;
  if (!posted) throw new Error(`the bot sent no message ${messageId}`);
  return request?.path.endsWith('/threads') ? messageId : posted;
}

/** The contract suite's view of the Discord adapter. */
export async function discordHarness(db: Db): Promise<AdapterHarness> {
  const core = scheduledCore(db);
  const bot = await DiscordTestBot.start(db, { core: core.deps });
  return {
    workspace: { platform: 'discord', workspaceId: bot.fake.guildId },
    async command(text, user, opts = {}) {
      const { command, subcommand, options } = interactionFor(text);
      await bot.settle(
        () => void bot.slash(command, subcommand, options, user, { admin: opts.admin ?? false }),
      );
    },
    person(user) {
      const id = bot.userId(user);
      if (!bot.fake.members.has(id)) bot.fake.addMember(id, user);
      return { typed: `<@${id}>`, shown: `<@${id}>` };
    },
    async ballotVote(messageId, choice, user) {
      const channelId = channelOfMessage(bot.fake, messageId);
      await bot.settle(() => bot.fake.pollVote(messageId, channelId, bot.userId(user), choice));
    },
    async replyInThread(messageId, text, user) {
      const id = bot.userId(user);
      await bot.settle(() =>
        bot.fake.userMessage({ channelId: messageId, author: { id, username: user }, content: text }),
      );
    },
    tickAt: (at) => core.tickAt(bot.adapter, at),
    async react(messageId, emoji, user, action = 'added') {
      const channelId = channelOfMessage(bot.fake, messageId);
      await bot.settle(() => void bot.reaction(action, channelId, messageId, emoji, user));
    },
    sent: () => sentMessages(bot.fake),
    close: () => bot.stop(),
  };
}
