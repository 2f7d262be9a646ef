import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { App, type CustomRoute, HTTPReceiver } from '@slack/bolt';
import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import { z } from 'zod';
import { icsInvite } from '../../src/domain/calendar.js';
import type { CommandCatalog } from '../../src/domain/commands.js';
import { MessageGoneError, UserError } from '../../src/domain/errors.js';
import type { Logger } from '../../src/domain/log.js';
import type { ChatAdapter, InboundHandlers, Responder } from '../../src/domain/ports.js';
import type {
  CalendarEvent,
  ChannelRef,
  MessageRef,
  OutboundMessage,
  UserRef,
  Workspace,
} from '../../src/domain/types.js';
import { AdminDirectory } from './admins.js';
import { CommandWork } from './command-work.js';
import { findTagged, tagMetadata } from './find-posted.js';
import { renderSlack, type SlackMessage } from './format.js';
import { registerInbound, type SlackResponder } from './inbound.js';
import { boltLogger } from './logger.js';
import { shortcutId } from './manifest.js';
import { Pacer } from './pacer.js';
import { AckAfterProcessingReceiver } from './socket-receiver.js';

export interface SlackAdapterOptions {
  botToken: string;
  /** Socket Mode when set (xapp-…); otherwise HTTP mode with the signing secret. */
  appToken?: string;
  signingSecret?: string;
  /** HTTP mode: the port for `/slack/events` (0 picks a free one). */
  port?: number;
  /** HTTP mode: extra routes on the same port, such as health checks. */
  routes?: CustomRoute[];
  /** Web API base, ending in `/api/`; for proxies and tests. */
  apiUrl?: string;
  /** Slack user ids allowed to change settings besides workspace admins and owners. */
  adminUsers?: readonly string[];
  log: Logger;
  /** Least time between two posts to one channel (default 1 s, Slack's per-channel rate). */
  paceMs?: number;
  /** Told each time a post waits for its turn in a channel or for a 429 (for the metrics). */
  onRateLimitWait?: () => void;
  /** Retries of a Web API call that failed on the network or with a 5xx (default 2). */
  retries?: number;
  /**
   * Commands worked on at once after their ack (default: one per core, from 2 to 4), one at a time
   * while the event loop lags; the rest wait their turn.
   */
  concurrency?: number;
  /** The command table: its message-menu commands become message shortcuts. */
  commands?: CommandCatalog;
}

const authTestSchema = z.object({ user_id: z.string(), bot_id: z.string().optional(), team_id: z.string() });
const postedSchema = z.object({ ts: z.string() });
const dmPostedSchema = z.object({ ts: z.string(), channel: z.string() });
const imOpenedSchema = z.object({ channel: z.object({ id: z.string() }) });
/** chat.postMessage's answers when a person cannot get the bot's direct messages. */
const NO_DM = new Set([
  'user_not_found',
  'cannot_dm_bot',
  'user_disabled',
  'channel_not_found',
  'not_in_channel',
]);
const memberSchema = z.object({
  user: z.object({
    id: z.string(),
    name: z.string().optional(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    profile: z.object({ display_name: z.string().optional() }).optional(),
  }),
});
const uploadedSchema = z.object({
  files: z.array(z.object({ files: z.array(z.object({ id: z.string() })).optional() })).optional(),
});
const threadFilesSchema = z.object({
  messages: z
    .array(z.object({ files: z.array(z.object({ id: z.string(), name: z.string().optional() })).optional() }))
    .default([]),
});

/**
 * Searches are CPU work for the bot and for a database that often shares its machine: more of them at
 * once than there are cores only delays the acks of the requests still arriving. Two at least, so a
 * command that waits on Slack's rate limits (a digest posted now) does not hold up a search.
 */
function defaultConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

/** Slack's response_url accepts answers for 30 minutes; after that the Web API is used instead. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/** How long Slack waits for the answer to a request before giving up on it. */
const SLACK_REQUEST_TIMEOUT_MS = 3_000;

/** Errors meaning the message a reply was for was deleted. */
const GONE = new Set(['thread_not_found', 'message_not_found', 'invalid_thread_ts']);

/** Errors meaning the bot cannot post where it was asked to. */
const NOT_HERE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/** The Slack door: one Bolt app, in Socket Mode or over HTTP, serving the core. */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  /** HTTP mode: the server Slack posts to, once started. */
  server: Server | undefined;
  private readonly client: WebClient;
  private readonly pacer: Pacer;
  private readonly work: CommandWork;
  private app: InstanceType<typeof App> | undefined;
  private botUserId = '';
  private botId = '';

  constructor(private readonly options: SlackAdapterOptions) {
    if (!options.appToken && !options.signingSecret) {
      throw new Error('Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
    }
    this.client = new WebClient(options.botToken, this.clientOptions());
    this.work = new CommandWork({
      concurrency: options.concurrency ?? defaultConcurrency(),
      onError: (err) => options.log.error({ err }, 'slack command failed after ack'),
    });
    this.pacer = new Pacer({
      intervalMs: options.paceMs ?? 1000,
      retryAfterMs: (err) => (isRateLimited(err) ? err.retryAfter * 1000 : undefined),
      onPaced: () => options.onRateLimitWait?.(),
      onRateLimited: (channel, waitMs) => {
        options.onRateLimitWait?.();
        options.log.warn({ channel, waitMs }, 'slack rate limit: waiting');
      },
    });
  }

  async start(handlers: InboundHandlers): Promise<void> {
    const { options } = this;
    const auth = await this.client.auth.test().catch((err: unknown) => {
      if ((err as { code?: string }).code === ErrorCode.RequestError) {
        throw new Error(
          `cannot reach Slack's Web API (${slackErrorOf(err)}): check the network, a proxy, or SLACK_API_URL.`,
        );
      }
      throw new Error(
        `Slack refused SLACK_BOT_TOKEN (auth.test: ${slackErrorOf(err)}). Copy the Bot User OAuth Token (xoxb-…) again from the app's OAuth & Permissions page.`,
      );
    });
    const me = authTestSchema.parse(auth);
    this.botUserId = me.user_id;
    this.botId = me.bot_id ?? me.user_id;
    const common = {
      token: options.botToken,
      botUserId: me.user_id,
      botId: me.bot_id ?? me.user_id,
      logger: boltLogger(options.log),
      clientOptions: this.clientOptions(),
    };
    const app = options.appToken
      ? new App({
          ...common,
          receiver: new AckAfterProcessingReceiver(
            {
              appToken: options.appToken,
              clientOptions: this.clientOptions(),
              logger: boltLogger(options.log),
            },
            options.log,
          ),
        })
      : new App({ ...common, receiver: httpReceiver(options) });
    registerInbound(app, {
      handlers,
      botUserId: me.user_id,
      admins: new AdminDirectory({
        client: this.client,
        log: options.log,
        configured: options.adminUsers ?? [],
      }),
      log: options.log,
      responder: (channel, userId, answer, fromButton) => this.responder(channel, userId, answer, fromButton),
      background: (work) => this.background(work),
      light: (work) => this.work.addLight(work),
      postEphemeral: (channel, user, message, threadTs) =>
        this.postEphemeral(channel, user, message, threadTs),
      menus: new Map(
        (options.commands?.specs ?? []).flatMap((spec) =>
          spec.messageMenu ? [[shortcutId(spec), { words: spec.words }] as const] : [],
        ),
      ),
      web: {
        publishHome: async (userId, view) => {
          await this.client.views.publish({ user_id: userId, view });
        },
        openView: async (triggerId, view) => {
          await this.client.views.open({ trigger_id: triggerId, view });
        },
        post: async (channel, message) => {
          await this.post(channel, message);
        },
        unfurl: async (where, unfurls) => {
          await this.client.chat.unfurl(
            'unfurlId' in where
              ? { unfurl_id: where.unfurlId, source: where.source as 'composer', unfurls }
              : { channel: where.channel, ts: where.ts, unfurls },
          );
        },
      },
    });
    if (options.appToken) await app.start();
    else {
      this.server = (await app.start(options.port ?? 3000)) as Server;
      // Longer than a load balancer's idle timeout (60 s on most), so it never reuses a socket we closed.
      this.server.keepAliveTimeout = 65_000;
      this.server.headersTimeout = 66_000;
    }
    this.app = app;
    options.log.info(
      { team: me.team_id, mode: options.appToken ? 'socket' : 'http', port: this.port() },
      'slack connected',
    );
  }

  async stop(): Promise<void> {
    await this.idle();
    this.work.close();
    // Closing waits for open requests; Slack gives up on one after 3 s, so a connection still busy after
    // that (a client still sending a body the receiver refused) is closed rather than waited for.
    const server = this.server;
    const force = setTimeout(() => server?.closeAllConnections(), SLACK_REQUEST_TIMEOUT_MS);
    try {
      await this.app?.stop();
    } finally {
      clearTimeout(force);
    }
    this.app = undefined;
  }

  /** Resolves once every command and button press received so far has been answered. */
  async idle(): Promise<void> {
    await this.work.idle();
  }

  /** HTTP mode: the port it listens on. */
  port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef> {
    const ts = await this.send(channel, renderSlack(message), undefined, message.tag);
    return { channel, messageId: ts };
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const threadTs = thread.threadId ?? thread.messageId;
    const ts = await this.send(thread.channel, renderSlack(message), threadTs, message.tag);
    return { channel: thread.channel, messageId: ts, threadId: threadTs };
  }

  /**
   * A direct message from the app (chat.postMessage to the person's id opens the conversation; chat:write
   * and im:write). Null when Slack will not deliver it to them. Sent again after a crash (`retake`), a
   * tagged message is first looked for in the conversation (im:history), so it is not sent twice.
   */
  async dm(
    ws: Workspace,
    userId: string,
    message: OutboundMessage,
    retake = false,
  ): Promise<MessageRef | null> {
    const rendered = renderSlack(message);
    const metadata = tagMetadata(message.tag);
    try {
      const earlier = retake && message.tag ? await this.earlierDm(userId, message.tag) : undefined;
      if (earlier)
        return {
          channel: { platform: 'slack', workspaceId: ws.workspaceId, ...earlier.channel },
          messageId: earlier.ts,
        };
      const posted = await this.pacer.run(userId, () =>
        this.client.chat.postMessage({
          channel: userId,
          text: rendered.text,
          blocks: rendered.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(metadata ? { metadata } : {}),
        }),
      );
      const { ts, channel } = dmPostedSchema.parse(posted);
      return {
        channel: { platform: 'slack', workspaceId: ws.workspaceId, channelId: channel },
        messageId: ts,
      };
    } catch (err) {
      if (NO_DM.has(slackErrorOf(err))) return null;
      throw err;
    }
  }

  /**
   * The bot's message in its conversation with this person carrying `tag`, if one was sent (its last page of
   * history). Without the im:history scope (an app installed before it was asked for), nothing is found,
   * and the message is sent as it would have been.
   */
  private async earlierDm(
    userId: string,
    tag: string,
  ): Promise<{ channel: { channelId: string }; ts: string } | undefined> {
    try {
      const opened = imOpenedSchema.parse(await this.client.conversations.open({ users: userId }));
      const found = await findTagged(
        this.client,
        { userId: this.botUserId, botId: this.botId },
        { channelId: opened.channel.id, tags: [tag] },
      );
      const ts = found.get(tag);
      return ts ? { channel: { channelId: opened.channel.id }, ts } : undefined;
    } catch (err) {
      if (slackErrorOf(err) !== 'missing_scope') throw err;
      this.options.log.info(
        { user: userId },
        'cannot read direct messages (im:history): sending without looking',
      );
      return undefined;
    }
  }

  /** The message's permalink (chat.getPermalink). */
  async messageLink(message: MessageRef): Promise<string | undefined> {
    const answer = await this.client.chat.getPermalink({
      channel: message.channel.channelId,
      message_ts: message.messageId,
    });
    return typeof answer.permalink === 'string' ? answer.permalink : undefined;
  }

  async update(message: MessageRef, content: OutboundMessage): Promise<void> {
    const rendered = renderSlack(content);
    await this.client.chat
      .update({
        channel: message.channel.channelId,
        ts: message.messageId,
        text: rendered.text,
        blocks: rendered.blocks,
      })
      .catch((err: unknown) => {
        throw this.explain(err, message.channel);
      });
  }

  /**
   * The session's invite as an .ics file in its thread (files.uploadV2; needs files:write), which any
   * calendar imports. A retake first looks in the thread for the file an earlier attempt uploaded.
   */
  async scheduleEvent(
    where: { channel: ChannelRef; thread?: MessageRef },
    event: CalendarEvent,
    retake: boolean,
  ): Promise<string | undefined> {
    const filename = `${event.uid.split('@')[0]}.ics`;
    const threadTs = where.thread ? (where.thread.threadId ?? where.thread.messageId) : undefined;
    if (retake && threadTs) {
      const replies = threadFilesSchema.parse(
        await this.client.conversations.replies({
          channel: where.channel.channelId,
          ts: threadTs,
          limit: 15,
        }),
      );
      const earlier = replies.messages.flatMap((m) => m.files ?? []).find((f) => f.name === filename);
      if (earlier) return earlier.id;
    }
    const file = {
      file: Buffer.from(icsInvite(event, new Date())),
      filename,
      title: `${event.title} (calendar invite)`,
      initial_comment: '📅 Add it to your calendar:',
    };
    const channel_id = where.channel.channelId;
    let uploaded: unknown;
    try {
      uploaded = await (threadTs
        ? this.client.files.uploadV2({ ...file, channel_id, thread_ts: threadTs })
        : this.client.files.uploadV2({ ...file, channel_id }));
    } catch (err) {
      if (slackErrorOf(err) !== 'missing_scope') throw this.explain(err, where.channel);
      // An app installed from an older manifest: the session goes on without its invite, and says why.
      this.options.log.warn({ channel: where.channel.channelId }, 'slack scope missing: files:write');
      if (where.thread) {
        await this.reply(where.thread, {
          kind: 'text',
          text: 'I could not attach a calendar invite: the app needs the files:write scope. Reinstall it from `papers slack-manifest`.',
          tag: `invite-refused:${event.uid}`,
        });
      }
      return undefined;
    }
    return uploadedSchema.parse(uploaded).files?.[0]?.files?.[0]?.id;
  }

  /**
   * The workspace member a typed mention names: `<@U123>` or `<@U123|ada>` (as Slack escapes a mention in
   * a slash command), looked up with users.info; null for anyone else, a deleted account or a bot.
   */
  async findMember(_channel: ChannelRef, mention: string): Promise<UserRef | null> {
    const id = /^<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>$/.exec(mention)?.[1];
    if (!id) return null;
    try {
      const { user } = memberSchema.parse(await this.client.users.info({ user: id }));
      if (user.deleted || user.is_bot) return null;
      const name = user.profile?.display_name || user.name;
      return { id: user.id, isAdmin: false, ...(name ? { name } : {}) };
    } catch (err) {
      if (slackErrorOf(err) === 'user_not_found') return null;
      throw err;
    }
  }

  /** Tagged messages carry their tag in Slack's message metadata; this reads it back from history. */
  async findPosted(where: {
    channel: ChannelRef;
    thread?: MessageRef;
    tags: string[];
    since?: Date;
  }): Promise<Map<string, string>> {
    const threadTs = where.thread ? (where.thread.threadId ?? where.thread.messageId) : undefined;
    return findTagged(
      this.client,
      { userId: this.botUserId, botId: this.botId },
      {
        channelId: where.channel.channelId,
        tags: where.tags,
        ...(threadTs ? { threadTs } : {}),
        ...(where.since ? { since: where.since } : {}),
      },
    ).catch((err: unknown) => {
      throw this.explain(err, where.channel);
    });
  }

  /**
   * The core's way back for a command: Slack's response_url for the 30 minutes it accepts answers, then
   * the Web API. A page of results replaces the page it was asked from; anything else is a new message.
   */
  private responder(
    channel: ChannelRef,
    userId: string,
    answer: SlackResponder,
    fromButton: boolean,
  ): Responder {
    const until = Date.now() + RESPONSE_URL_LIFETIME_MS;
    return async (message, opts) => {
      const rendered = renderSlack(message);
      if (Date.now() < until) {
        const replaceOriginal = fromButton && message.kind === 'search-results';
        await answer(rendered, { private: opts.private, replaceOriginal });
      } else if (opts.private) await this.postEphemeral(channel, userId, rendered);
      else await this.send(channel, rendered);
    };
  }

  private async send(
    channel: ChannelRef,
    message: SlackMessage,
    threadTs?: string,
    tag?: string,
  ): Promise<string> {
    const metadata = tagMetadata(tag);
    const posted = await this.pacer.run(channel.channelId, () =>
      this.client.chat
        .postMessage({
          channel: channel.channelId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(metadata ? { metadata } : {}),
        })
        .catch((err: unknown) => {
          throw this.explain(err, channel);
        }),
    );
    return postedSchema.parse(posted).ts;
  }

  private async postEphemeral(
    channel: ChannelRef,
    user: string,
    message: SlackMessage,
    threadTs?: string,
  ): Promise<void> {
    await this.client.chat
      .postEphemeral({
        channel: channel.channelId,
        user,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      })
      .catch((err: unknown) => {
        throw this.explain(err, channel);
      });
  }

  /** A post the bot may not make becomes a UserError saying how to let it in. */
  private explain(err: unknown, channel: ChannelRef): unknown {
    const code = slackErrorOf(err);
    if (GONE.has(code)) return new MessageGoneError(`the thread's first message is gone (${code})`);
    if (!NOT_HERE.has(code)) return err;
    const invite = `/invite <@${this.botUserId}>`;
    if (/^D/.test(channel.channelId)) {
      return new UserError(
        `I can't post in a direct message. Run this in a channel instead, after adding me there with ${invite}.`,
      );
    }
    if (code === 'is_archived')
      return new UserError(`<#${channel.channelId}> is archived, so I can't post in it.`);
    return new UserError(
      `I'm not a member of <#${channel.channelId}>, so I can't post there. Add me with ${invite} in that channel and try again.`,
    );
  }

  /** Runs a command's work after its ack (see CommandWork). */
  private background(work: () => Promise<void>): void {
    this.work.add(work);
  }

  private clientOptions(): WebClientOptions {
    return {
      // The client appends the method name to the base as it is: `…/api` must become `…/api/`.
      ...(this.options.apiUrl ? { slackApiUrl: this.options.apiUrl.replace(/\/?$/, '/') } : {}),
      // The pacer waits out 429s itself, so it can hold the channel's queue meanwhile.
      rejectRateLimitedCalls: true,
      retryConfig: {
        retries: this.options.retries ?? 2,
        factor: 2,
        minTimeout: 500,
        maxTimeout: 5000,
        randomize: true,
      },
      timeout: 10_000,
    };
  }
}

function isRateLimited(err: unknown): err is { retryAfter: number } {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === ErrorCode.RateLimitedError &&
    typeof (err as { retryAfter?: unknown }).retryAfter === 'number'
  );
}

function slackErrorOf(err: unknown): string {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  return err instanceof Error ? err.message : String(err);
}

/** Slack's limit on how far a request's timestamp may be from now, either way. */
const REQUEST_SKEW_S = 5 * 60;

/**
 * HTTP mode's receiver: signed requests at `/slack/events` and the extra routes. Bolt refuses a request
 * dated more than five minutes ago; one dated more than five minutes ahead is refused here too, as
 * Slack's rule says, so a captured request cannot be saved up and replayed later.
 */
function httpReceiver(options: SlackAdapterOptions): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret ?? '',
    // The HTTP answer waits for the listener, so a failed vote write is a 500 and Slack retries.
    processBeforeResponse: true,
    customRoutes: options.routes ?? [],
    logger: boltLogger(options.log),
  });
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const sent = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(sent) && sent > Date.now() / 1000 + REQUEST_SKEW_S) {
      options.log.warn({ timestamp: sent }, 'slack request dated in the future: refused');
      res.writeHead(401).end();
      return;
    }
    return bolt(req, res);
  };
  return receiver;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  return new SlackAdapter(options);
}
