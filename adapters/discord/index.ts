import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import {
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  type ForumChannel,
  GatewayIntentBits,
  type MediaChannel,
  type Message,
  MessageFlags,
  Options,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Routes,
  type SendableChannels,
  Status,
  ThreadAutoArchiveDuration,
  type ThreadChannel,
} from 'discord.js';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { CommandCatalog } from '../../src/domain/commands.js';
import { MessageGoneError, UserError } from '../../src/domain/errors.js';
import type { Logger } from '../../src/domain/log.js';
import type { ChatAdapter, InboundHandlers, Responder } from '../../src/domain/ports.js';
import type {
  CalendarEvent,
  ChannelRef,
  MessageRef,
  OutboundMessage,
  PaperView,
  UserRef,
  Workspace,
} from '../../src/domain/types.js';
import { CustomIds } from './custom-ids.js';
import { type DiscordPayload, renderMessage, threadName, truncate } from './format.js';
import { planTags } from './forum.js';
import { type InboundContext, type InteractionAnswer, isExpired, listen } from './inbound.js';

export interface DiscordAdapterOptions {
  /** The command table: what slash commands and buttons run, and who sees each answer. */
  commands: CommandCatalog;
  token: string;
  applicationId: string;
  log: Logger;
  /** REST base, e.g. `http://127.0.0.1:8080/api` for a fake or a proxy; default Discord's own. */
  apiUrl?: string;
  /** Read pasted paper links: needs the privileged Message Content intent switched on for the bot. */
  linkShares?: boolean;
  /** How long to wait for the gateway's READY and the guilds before start() gives up. */
  readyTimeoutMs?: number;
}

/** Nothing the bot posts may ping anyone: titles and author names are not mentions. */
const NO_PINGS = { parse: [] as [] };

/**
 * Whom a message may ping: only the people the core mentions on purpose (`<@id>` in a text, a session's
 * presenter in a reminder), never names that happen to be in a title.
 */
function allowedMentions(message: OutboundMessage): { parse: []; users?: string[] } {
  if (message.kind !== 'text') return NO_PINGS;
  const users = [...new Set([...message.text.matchAll(/<@!?(\d{5,25})>/g)].map((m) => m[1]!))];
  return users.length > 0 ? { parse: [], users } : NO_PINGS;
}

const scheduledEventSchema = z.object({
  id: z.string(),
  name: z.string(),
  scheduled_start_time: z.string(),
  creator_id: z.string().nullish(),
});
const pollVotersSchema = z.object({ users: z.array(z.object({ id: z.string() })) });
const memberSchema = z.object({
  nick: z.string().nullish(),
  user: z.object({
    id: z.string(),
    username: z.string(),
    global_name: z.string().nullish(),
    bot: z.boolean().optional(),
  }),
});

/** How far back a forum post the bot opened may be the one a message being sent again already made. */
const ADOPT_POSTS_WITHIN_MS = 24 * 3_600_000;

/** A message Discord holds is the one this payload makes: the same text and the same cards. */
function saysTheSame(sent: Message, payload: DiscordPayload): boolean {
  const cards = (embeds: readonly { title?: string | null; description?: string | null }[]) =>
    embeds.map((e) => [e.title ?? '', e.description ?? '']);
  return (
    (sent.content ?? '') === (payload.content ?? '') &&
    isDeepStrictEqual(cards(sent.embeds), cards(payload.embeds))
  );
}

/**
 * A tagged message (a digest's header or one of its papers) is sent with a nonce derived from its tag and
 * `enforce_nonce`: Discord then answers a second send of it within a few minutes with the message it
 * already created. A request retried after a lost response, or a digest resumed after a crash, does not
 * post the paper twice.
 */
function onlyOnce(message: OutboundMessage): { nonce?: string; enforceNonce?: boolean } {
  if (!message.tag) return {};
  // Discord takes nonces of at most 25 characters.
  return {
    nonce: createHash('sha256').update(message.tag).digest('base64url').slice(0, 25),
    enforceNonce: true,
  };
}

/** Discord's answer when the bot lacks a permission, or cannot see the channel at all. */
function isMissingPermission(err: unknown): boolean {
  return (
    err instanceof DiscordAPIError &&
    (err.code === RESTJSONErrorCodes.MissingPermissions || err.code === RESTJSONErrorCodes.MissingAccess)
  );
}

/** Gateway close codes that retrying cannot fix, with what the operator should do. */
const FATAL_CLOSE: Record<number, string> = {
  4004: 'Discord rejected DISCORD_TOKEN: copy the token again from the Developer Portal (Bot → Reset Token).',
  4014: 'Discord refused the Message Content intent: switch it on under Bot → Privileged Gateway Intents, or set DISCORD_LINK_SHARES=false.',
};

/**
 * The Discord door: a discord.js gateway client for slash commands, buttons, reactions and messages, and
 * its REST client (with discord.js's per-route rate-limit queue) for everything the bot posts.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  readonly client: Client;
  private readonly customIds = new CustomIds();
  /** Messages posted in a text channel that have no thread yet: the first reply starts one. */
  // Bounded: headers whose thread never came (a failed digest) must not pile up.
  private readonly threadNames = new LRUCache<string, string>({ max: 1000 });
  /** Per forum, the tag work under way: one paper's tags are chosen (and created) after the other's. */
  private readonly tagWork = new Map<string, Promise<unknown>>();
  /** Forums whose digest was told that the bot may not create tags (once per forum and process). */
  private readonly tagsRefusedTold = new Set<string>();

  constructor(private readonly options: DiscordAdapterOptions) {
    this.client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildMessageReactions,
        // Ballots are native polls, sessions scheduled events: their votes and "Interested" are RSVPs.
        GatewayIntentBits.GuildMessagePolls,
        GatewayIntentBits.GuildScheduledEvents,
        ...(options.linkShares ? [GatewayIntentBits.MessageContent] : []),
      ],
      rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), timeout: 15_000 },
      allowedMentions: NO_PINGS,
      // Everything the bot needs arrives with each event or is fetched on demand; unbounded member, user
      // and reaction caches would only grow with every person who ever reacted in a large server.
      makeCache: Options.cacheWithLimits({
        ...Options.DefaultMakeCacheSettings,
        MessageManager: 50,
        ReactionManager: 0,
        ReactionUserManager: 0,
        PresenceManager: 0,
        GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
        UserManager: { maxSize: 200, keepOverLimit: (user) => user.id === user.client.user.id },
      }),
    });
  }

  async start(handlers: InboundHandlers): Promise<void> {
    const { client, options } = this;
    const { log } = options;
    const ctx: InboundContext = {
      client,
      handlers,
      log,
      customIds: this.customIds,
      commands: options.commands,
      responder: (answer) => this.responder(answer),
      linkShares: options.linkShares ?? false,
    };
    listen(client, ctx);
    client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    client.on(Events.ShardDisconnect, (event) =>
      log.warn({ code: event.code }, 'discord gateway disconnected'),
    );
    client.on(Events.ShardReconnecting, () => log.info('discord gateway reconnecting'));
    client.on(Events.ShardResume, (_id, replayed) => log.info({ replayed }, 'discord gateway resumed'));
    client.rest.on('rateLimited', (info) =>
      log.warn(
        { route: info.route, retryAfterMs: info.retryAfter, global: info.global },
        'discord rate limit',
      ),
    );
    const ready = once(client, Events.ClientReady, {
      signal: AbortSignal.timeout(options.readyTimeoutMs ?? 60_000),
    });
    // Awaited below; when login fails first, its later timeout must not surface as an unhandled rejection.
    ready.catch(() => {});
    try {
      await client.login(options.token);
      await ready;
    } catch (err) {
      await client.destroy();
      throw explainLoginFailure(err);
    }
    log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord connected');
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  /** False while the gateway is down or resuming (for health checks). */
  isConnected(): boolean {
    return this.client.ws.status === Status.Ready;
  }

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    const payload = this.render(message);
    return this.withPermissions(channel, 'post', async () => {
      const target = await this.client.channels.fetch(channel.channelId);
      if (target?.type === ChannelType.GuildForum || target?.type === ChannelType.GuildMedia) {
        // A forum has no plain messages: each digest is a post of its own, its opening message the header.
        const post = await this.openPost(target, message, payload);
        return { channel, messageId: post.id };
      }
      if (!target?.isSendable())
        throw new UserError(`I can't post in <#${channel.channelId}>: it is not a text channel.`);
      const sent = await target.send({ ...payload, ...onlyOnce(message) });
      this.threadNames.set(sent.id, threadName(message));
      return { channel, messageId: sent.id };
    });
  }

  /** A message's URL: the thread it is in when it is a reply, else its channel. */
  async messageLink(message: MessageRef): Promise<string> {
    const where = message.threadId ?? message.channel.channelId;
    return `https://discord.com/channels/${message.channel.workspaceId}/${where}/${message.messageId}`;
  }

  /**
   * A direct message (the person's DM channel with the bot), sent with the tag's nonce like posts. Null
   * when Discord will not deliver it: they left, or accept no DMs from the server's members.
   */
  async dm(ws: Workspace, userId: string, message: OutboundMessage): Promise<MessageRef | null> {
    try {
      const user = await this.client.users.fetch(userId);
      const sent = await user.send({ ...this.render(message), ...onlyOnce(message) });
      return {
        channel: { platform: 'discord', workspaceId: ws.workspaceId, channelId: sent.channelId },
        messageId: sent.id,
      };
    } catch (err) {
      const refused: number[] = [
        RESTJSONErrorCodes.CannotSendMessagesToThisUser,
        RESTJSONErrorCodes.UnknownUser,
      ];
      if (err instanceof DiscordAPIError && refused.includes(Number(err.code))) return null;
      throw err;
    }
  }

  /**
   * Replies inside the thread under `thread`, starting the thread on the first reply (a person's message
   * shared from its menu has none yet; it is named after the paper). A thread started from a message
   * shares its id, as does a forum post with its opening message, so either way the thread is the channel
   * with the parent's id.
   *
   * In a forum, a paper given to the opening message of one of the bot's posts (a digest's) becomes a post
   * of its own in the forum instead, tagged from the paper; its id (the post's, and its opening message's)
   * is the one votes are counted on.
   */
  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const threadId = thread.threadId ?? thread.messageId;
    const payload = this.render(message);
    return this.withPermissions(thread.channel, 'reply in a thread', async () => {
      try {
        const fallbackName = message.kind === 'paper' ? threadName(message) : 'Papers';
        const target = await this.threadFor(thread.channel.channelId, threadId, fallbackName);
        const inForum = thread.messageId === threadId ? this.forumOfOwnPost(target) : undefined;
        if (inForum && message.kind === 'paper') {
          const { forum, digest } = inForum;
          const appliedTags = await this.tagsFor(forum, digest, message.paper);
          const post = await this.openPost(forum, message, payload, appliedTags);
          return { channel: thread.channel, messageId: post.id, threadId: post.id };
        }
        const sent = await target.send({ ...payload, ...onlyOnce(message) });
        return { channel: thread.channel, messageId: sent.id, threadId };
      } catch (err) {
        // The message was deleted: no thread can start from it, and one it had went with it.
        if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMessage) {
          throw new MessageGoneError();
        }
        throw err;
      }
    });
  }

  /**
   * Changes a message the bot posted. A ballot's poll counts by itself; closing the ballot ends the poll.
   * Anything else is edited in place (in its thread, when it is a reply).
   */
  async update(message: MessageRef, content: OutboundMessage): Promise<void> {
    const channelId = message.threadId ?? message.channel.channelId;
    await this.withPermissions(message.channel, 'change a message', async () => {
      if (content.kind === 'ballot') {
        if (!content.closed) return;
        await this.client.rest.post(Routes.expirePoll(channelId, message.messageId)).catch((err: unknown) => {
          // Ended already (by its own duration, or an earlier attempt): nothing left to do.
          if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.PollExpired) return;
          throw err;
        });
        return;
      }
      const { allowedMentions: _pings, ...payload } = this.render(content);
      await this.client.rest.patch(Routes.channelMessage(channelId, message.messageId), {
        body: { ...payload, allowed_mentions: NO_PINGS },
      });
    });
  }

  /**
   * A Guild Scheduled Event for the session, whose "Interested" people are its RSVPs; its link goes in the
   * session's thread. A retake adopts the event an earlier attempt created (same name and start, by the bot).
   */
  async scheduleEvent(
    where: { channel: ChannelRef; thread?: MessageRef },
    event: CalendarEvent,
    retake: boolean,
  ): Promise<string | undefined> {
    const guildId = where.channel.workspaceId;
    const body = this.eventBody(event, where.channel);
    let id: string | undefined;
    if (retake) {
      const existing = z
        .array(scheduledEventSchema)
        .parse(await this.client.rest.get(Routes.guildScheduledEvents(guildId)));
      id = existing.find(
        (e) =>
          e.name === body.name &&
          Date.parse(e.scheduled_start_time) === event.start.getTime() &&
          e.creator_id === this.client.user?.id,
      )?.id;
    }
    if (!id) {
      try {
        const created = scheduledEventSchema.parse(
          await this.client.rest.post(Routes.guildScheduledEvents(guildId), { body }),
        );
        id = created.id;
      } catch (err) {
        if (
          !(err instanceof DiscordAPIError) ||
          (err.code !== RESTJSONErrorCodes.MissingPermissions &&
            err.code !== RESTJSONErrorCodes.MissingAccess)
        )
          throw err;
        this.options.log.warn(
          { guild: guildId, code: err.code },
          'discord permission missing: create events',
        );
        if (where.thread) {
          await this.reply(where.thread, {
            kind: 'text',
            text: 'I could not add this session to the server’s events: I need the Create Events permission.',
            tag: `event-refused:${event.uid}`,
          });
        }
        return undefined;
      }
    }
    if (where.thread) {
      await this.reply(where.thread, {
        kind: 'text',
        text: `📅 https://discord.com/events/${guildId}/${id} — mark yourself Interested to RSVP.`,
        tag: `event:${event.uid}`,
      });
    }
    return id;
  }

  async updateEvent(channel: ChannelRef, eventId: string, event: CalendarEvent): Promise<void> {
    await this.client.rest.patch(Routes.guildScheduledEvent(channel.workspaceId, eventId), {
      body: this.eventBody(event, channel),
    });
  }

  async ballotVoters(ballot: MessageRef, answers: number): Promise<Map<number, string[]>> {
    const channelId = ballot.threadId ?? ballot.channel.channelId;
    const voters = new Map<number, string[]>();
    for (let answer = 1; answer <= answers; answer++) {
      const users: string[] = [];
      // A page holds at most 100 voters; the next starts after the last one's id.
      for (;;) {
        const page = pollVotersSchema.parse(
          await this.client.rest.get(Routes.pollAnswerVoters(channelId, ballot.messageId, answer), {
            query: new URLSearchParams({ limit: '100', ...(users.length ? { after: users.at(-1)! } : {}) }),
          }),
        );
        users.push(...page.users.map((u) => u.id));
        if (page.users.length < 100) break;
      }
      voters.set(answer, users);
    }
    return voters;
  }

  async cancelEvent(channel: ChannelRef, eventId: string): Promise<void> {
    // 4: canceled, which Discord allows only from scheduled (1).
    await this.client.rest.patch(Routes.guildScheduledEvent(channel.workspaceId, eventId), {
      body: { status: 4 },
    });
  }

  /** A server member named by `<@123>` (how Discord sends a mention typed in an option), or null. */
  async findMember(channel: ChannelRef, mention: string): Promise<UserRef | null> {
    const id = /^<@!?(\d{5,25})>$/.exec(mention)?.[1];
    if (!id) return null;
    try {
      const member = memberSchema.parse(
        await this.client.rest.get(Routes.guildMember(channel.workspaceId, id)),
      );
      if (member.user.bot) return null;
      return { id, name: member.nick ?? member.user.global_name ?? member.user.username, isAdmin: false };
    } catch (err) {
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMember) return null;
      throw err;
    }
  }

  private eventBody(event: CalendarEvent, channel: ChannelRef) {
    return {
      name: truncate(event.title, 100),
      description: truncate(event.description, 1000),
      scheduled_start_time: event.start.toISOString(),
      scheduled_end_time: event.end.toISOString(),
      privacy_level: 2, // guild only
      entity_type: 3, // external: a link or a room
      entity_metadata: { location: truncate(event.location ?? channel.name ?? 'Discord', 100) },
    };
  }

  /** How a command is answered: the interaction (edited, followed up or replaced) or the mention. */
  private responder(answer: InteractionAnswer | { mention: Message<true> }): Responder {
    return async (message, opts) => {
      const payload = this.render(message);
      if ('mention' in answer) {
        await answer.mention.reply(payload);
        return;
      }
      const { interaction } = answer;
      const flags = opts.private ? { flags: MessageFlags.Ephemeral as const } : {};
      try {
        if (answer.answered) {
          await interaction.followUp({ ...payload, ...flags });
        } else if (answer.mode === 'update') {
          // A paging button: new results take the place of the old; anything else goes below them.
          if (message.kind === 'search-results') await interaction.editReply(payload);
          else await interaction.followUp({ ...payload, ...flags });
        } else if (answer.ephemeral === opts.private) {
          await interaction.editReply(payload);
        } else {
          // The acknowledgement guessed wrong about who should see the answer, and its visibility is
          // fixed: replace it with a message of the right kind.
          await interaction.deleteReply();
          await interaction.followUp({ ...payload, ...flags });
        }
        answer.answered = true;
      } catch (err) {
        if (!isExpired(err)) throw err;
        // Past the 15 minutes an interaction token lives: nobody can be told any more.
        this.options.log.warn(
          { interaction: interaction.id, kind: message.kind },
          'answer arrived after the interaction expired',
        );
      }
    };
  }

  private render(
    message: OutboundMessage,
  ): DiscordPayload & { allowedMentions: { parse: []; users?: string[] } } {
    return {
      ...renderMessage(message, (command) => this.customIds.idFor(command)),
      allowedMentions: allowedMentions(message),
    };
  }

  /**
   * Opens a forum post. Discord takes no nonce for a new post, so a tagged message (one sent exactly once)
   * first looks for the post it may already have: one the bot opened under the same name within the last
   * day whose opening message says the same (a crash left it unrecorded, and the message is sent again). The
   * gateway tells the bot of each post it opens, and of a forum's open posts when it starts.
   */
  private async openPost(
    forum: ForumChannel | MediaChannel,
    message: OutboundMessage,
    payload: DiscordPayload,
    appliedTags?: string[],
  ): Promise<ThreadChannel> {
    const name = threadName(message);
    if (message.tag) {
      const earlier = await this.earlierPost(forum, name, payload);
      if (earlier) return earlier;
    }
    return forum.threads.create({ name, message: payload, ...(appliedTags ? { appliedTags } : {}) });
  }

  private async earlierPost(
    forum: ForumChannel | MediaChannel,
    name: string,
    payload: DiscordPayload,
  ): Promise<ThreadChannel | undefined> {
    const since = Date.now() - ADOPT_POSTS_WITHIN_MS;
    const candidates = forum.threads.cache.filter(
      (post) =>
        post.ownerId === this.client.user?.id && post.name === name && (post.createdTimestamp ?? 0) >= since,
    );
    for (const post of candidates.values()) {
      const opening = await post.fetchStarterMessage().catch(() => null);
      if (opening && saysTheSame(opening, payload)) return post;
    }
    return undefined;
  }

  /** The forum (or media channel) when `channel` is a post the bot opened in one, with that post. */
  private forumOfOwnPost(
    channel: SendableChannels,
  ): { forum: ForumChannel | MediaChannel; digest: ThreadChannel } | undefined {
    if (!channel.isThread() || channel.ownerId !== this.client.user?.id) return undefined;
    const parent = channel.parent;
    return parent?.type === ChannelType.GuildForum || parent?.type === ChannelType.GuildMedia
      ? { forum: parent, digest: channel }
      : undefined;
  }

  /**
   * The ids of the tags a paper's forum post carries (see planTags), creating the forum's missing ones
   * first when the bot has Manage Channels there. Without it, the digest's post is told once. Tags never
   * hold a paper back: when they cannot be had, the post goes without.
   */
  private async tagsFor(
    forum: ForumChannel | MediaChannel,
    digest: ThreadChannel,
    paper: PaperView,
  ): Promise<string[]> {
    const work = async () => {
      const me = forum.guild.members.me;
      const granted = me ? forum.permissionsFor(me) : null;
      const allowed = {
        create: granted?.has(PermissionFlagsBits.ManageChannels) ?? false,
        moderated: granted?.has(PermissionFlagsBits.ManageThreads) ?? false,
      };
      let tags = forum.availableTags;
      let plan = planTags(paper, tags, allowed);
      if (plan.picks.some((pick) => 'create' in pick)) {
        // The forum's newest list: tags added since (by an admin, another instance) are kept and matched.
        tags = (await forum.fetch(true)).availableTags;
        plan = planTags(paper, tags, allowed);
        const names = plan.picks.flatMap((pick) => ('create' in pick ? [{ name: pick.create }] : []));
        if (names.length > 0) {
          try {
            tags = (await forum.setAvailableTags([...tags, ...names])).availableTags;
            plan = planTags(paper, tags, allowed);
          } catch (err) {
            // Its permissions were not what the cache said (an overwrite the bot has not heard of).
            if (!isMissingPermission(err)) throw err;
            plan = planTags(paper, tags, { ...allowed, create: false });
          }
        }
      }
      if (plan.refused.length > 0) await this.tellTagsRefused(forum, digest, plan.refused);
      return plan.picks.flatMap((pick) => ('id' in pick ? [pick.id] : []));
    };
    const queued = (this.tagWork.get(forum.id) ?? Promise.resolve()).then(work, work);
    const settled = queued.catch(() => {});
    this.tagWork.set(forum.id, settled);
    void settled.then(() => {
      if (this.tagWork.get(forum.id) === settled) this.tagWork.delete(forum.id);
    });
    try {
      return await queued;
    } catch (err) {
      this.options.log.warn({ err, channel: forum.id }, 'forum tags not applied');
      return [];
    }
  }

  /** Says once per forum, in the digest's post, that missing tags need Manage Channels. */
  private async tellTagsRefused(
    forum: ForumChannel | MediaChannel,
    digest: ThreadChannel,
    names: string[],
  ): Promise<void> {
    if (this.tagsRefusedTold.has(forum.id)) return;
    this.tagsRefusedTold.add(forum.id);
    this.options.log.warn(
      { guild: forum.guildId, channel: forum.id, tags: names },
      'discord permission missing: manage channels, to create forum tags',
    );
    const example = truncate(names.slice(0, 3).join(', '), 200);
    await digest
      .send({
        content: `Papers here go without the tags this forum lacks (${example}): creating forum tags needs the Manage Channels permission in <#${forum.id}>. A server admin can grant it to me in the forum's permissions.`,
        allowedMentions: NO_PINGS,
      })
      .catch((err: unknown) => this.options.log.warn({ err, channel: forum.id }, 'tag notice not sent'));
  }

  private async threadFor(
    parentId: string,
    threadId: string,
    fallbackName = 'Papers',
  ): Promise<SendableChannels> {
    const cached = this.client.channels.cache.get(threadId);
    if (cached?.isThread()) return cached;
    const name = this.threadNames.get(threadId);
    if (name === undefined) {
      const existing = await this.client.channels.fetch(threadId).catch((err: unknown) => {
        if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownChannel) return null;
        throw err;
      });
      if (existing?.isThread()) return existing;
    }
    const parent = await this.client.channels.fetch(parentId);
    if (!parent || parent.type !== ChannelType.GuildText) {
      throw new UserError(`I can't start a thread in <#${parentId}>: threads need a text or forum channel.`);
    }
    try {
      const created = await parent.threads.create({
        startMessage: threadId,
        name: name ?? fallbackName,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
      });
      this.threadNames.delete(threadId);
      return created;
    } catch (err) {
      // Another instance (or a run before a restart) started it first.
      if (err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) {
        const existing = await this.client.channels.fetch(threadId);
        if (existing?.isThread()) return existing;
      }
      throw err;
    }
  }

  /** Turns Discord's "missing permissions" into a message the person can act on, and a log line. */
  private async withPermissions<T>(channel: ChannelRef, what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (
        err instanceof DiscordAPIError &&
        (err.code === RESTJSONErrorCodes.MissingPermissions || err.code === RESTJSONErrorCodes.MissingAccess)
      ) {
        this.options.log.warn(
          { guild: channel.workspaceId, channel: channel.channelId, code: err.code, action: what },
          'discord permission missing',
        );
        throw new UserError(
          `I can't ${what} in <#${channel.channelId}>: I need View Channel, Send Messages, Create Public Threads, Send Messages in Threads and Embed Links there. Ask a server admin to grant them to me in the channel's permissions.`,
        );
      }
      throw err;
    }
  }
}

/** Creates the adapter; start() connects. */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  return new DiscordAdapter(options);
}

function explainLoginFailure(err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  if (code === 'TokenInvalid' || (err instanceof DiscordAPIError && err.status === 401)) {
    return new Error(FATAL_CLOSE[4004]);
  }
  if (code === 'DisallowedIntents') return new Error(FATAL_CLOSE[4014]);
  if (err instanceof Error && err.name === 'AbortError') {
    return new Error(
      'Discord did not finish connecting within the time allowed; check the network and DISCORD_API_URL.',
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}
