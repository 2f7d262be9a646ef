import { randomUUID } from 'node:crypto';
import type { App, RespondFn, types } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { UserError } from '../../src/domain/errors.js';
import type { Logger } from '../../src/domain/log.js';
import type {
  CommandInvocation,
  CommandRef,
  InboundHandlers,
  ReactionEvent,
  Responder,
} from '../../src/domain/ports.js';
import type { ChannelRef, MessageRef, OutboundMessage } from '../../src/domain/types.js';
import type { AdminDirectory } from './admins.js';
import { BUTTON_ACTION_PREFIX, renderSlack, type SlackMessage } from './format.js';
import {
  formShown,
  formValues,
  homeTab,
  noticeModal,
  SETTINGS_ACTION,
  SETTINGS_VIEW,
  settingsModal,
} from './home.js';
import { SLASH_COMMAND } from './manifest.js';
import { fromSlackText } from './mrkdwn.js';

/** Answers one command in Slack's terms: through Bolt's respond() (response_url), or an ephemeral post. */
export type SlackResponder = (
  message: SlackMessage,
  opts: { private: boolean; replaceOriginal: boolean },
) => Promise<void>;

/** What the listeners need from the adapter that registers them. */
export interface InboundContext {
  handlers: InboundHandlers;
  botUserId: string;
  admins: AdminDirectory;
  log: Logger;
  /** The core's way back for a command, from Slack's way of answering it. */
  responder(channel: ChannelRef, userId: string, answer: SlackResponder, fromButton: boolean): Responder;
  /** Runs work after the ack, tracked so stop() and tests can wait for it. */
  background(work: () => Promise<void>): void;
  /** The same for work that mostly waits on Slack (a Home tab): several at a time, beside the commands. */
  light(work: () => Promise<void>): void;
  /** Answers privately in a channel (for mentions, which have no response_url). */
  postEphemeral(channel: ChannelRef, user: string, message: SlackMessage, threadTs?: string): Promise<void>;
  /** The commands on message menus, by their shortcut's callback id. */
  menus: ReadonlyMap<string, { words: readonly string[] }>;
  /** Web API calls the surfaces need: the Home tab, modals, unfurls. */
  web: {
    publishHome(userId: string, view: types.HomeView): Promise<void>;
    openView(triggerId: string, view: types.ModalView): Promise<void>;
    post(channel: ChannelRef, message: OutboundMessage): Promise<void>;
    unfurl(
      where: { channel: string; ts: string } | { unfurlId: string; source: string },
      unfurls: Record<string, { blocks: types.KnownBlock[] }>,
    ): Promise<void>;
  };
}

const slashCommandSchema = z.object({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  text: z.string().default(''),
});

const blockActionSchema = z.object({
  user: z.object({ id: z.string().min(1), username: z.string().optional(), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  channel: z.object({ id: z.string().min(1), name: z.string().optional() }),
});

const buttonSchema = z.object({ action_id: z.string(), value: z.string().min(1).max(2000) });

const reactionSchema = z.object({
  user: z.string().min(1),
  reaction: z.string().min(1),
  item: z.object({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }),
  event_ts: z.string().optional(),
});

const messageSchema = z.object({
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  files: z.array(z.unknown()).optional(),
});

const mentionSchema = z.object({
  channel: z.string().min(1),
  user: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
});

const envelopeSchema = z.object({ team_id: z.string().min(1), event_id: z.string().optional() });

const shortcutSchema = z.object({
  callback_id: z.string(),
  team: z.object({ id: z.string().min(1) }).nullish(),
  user: z.object({ id: z.string().min(1), username: z.string().optional(), team_id: z.string().optional() }),
  channel: z.object({ id: z.string().min(1), name: z.string().optional() }),
  message: z.object({
    ts: z.string().min(1),
    thread_ts: z.string().optional(),
    text: z.string().default(''),
  }),
});

const homeOpenedSchema = z.object({ user: z.string().min(1), tab: z.string().optional() });

const homeActionSchema = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().min(1) })).min(1),
});

const viewSubmissionSchema = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  view: z.object({ private_metadata: z.string().min(1), state: z.unknown() }),
});

const linkSharedSchema = z.object({
  channel: z.string().optional(),
  is_bot_user_member: z.boolean().optional(),
  message_ts: z.string().optional(),
  thread_ts: z.string().optional(),
  user: z.string().min(1),
  unfurl_id: z.string().optional(),
  source: z.string().optional(),
  links: z.array(z.object({ url: z.string() })).default([]),
});

/** Subtypes that are still a person writing in the channel; edits, deletions, joins and bots are not. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/** Turns Slack's commands, button presses and events into the core's inbound values. */
export function registerInbound(app: App, ctx: InboundContext): void {
  const { handlers, log } = ctx;
  // The event ids seen lately: the oldest are forgotten first.
  const seenEvents = new LRUCache<string, true>({ max: 10_000 });

  app.command(SLASH_COMMAND, async ({ ack, command, respond }) => {
    // Slack waits 3 s for this; everything else happens after it.
    await ack();
    const parsed = slashCommandSchema.safeParse(command);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues }, 'unreadable slash command payload');
      return;
    }
    const c = parsed.data;
    const channel = slackChannel(c.team_id, c.channel_id, c.channel_name);
    const text = fromSlackText(c.text);
    ctx.background(() => dispatch(ctx, respond, channel, c.user_id, c.user_name, text, false));
  });

  app.action({ type: 'block_actions', action_id: new RegExp(`^${BUTTON_ACTION_PREFIX}`) }, async (args) => {
    await args.ack();
    const body = blockActionSchema.safeParse(args.body);
    const button = buttonSchema.safeParse(args.action);
    if (!body.success || !button.success) {
      log.warn(
        { issues: [...(body.error?.issues ?? []), ...(button.error?.issues ?? [])] },
        'unreadable button press',
      );
      return;
    }
    const { user, team, channel: ch } = body.data;
    const teamId = team?.id ?? user.team_id;
    if (!teamId) {
      log.warn('button press without a team id');
      return;
    }
    const channel = slackChannel(teamId, ch.id, ch.name);
    ctx.background(() =>
      dispatch(ctx, args.respond, channel, user.id, user.username, button.data.value, true),
    );
  });

  const onEvent = (type: string, listener: (event: unknown, teamId: string) => Promise<void>) => {
    app.event(type, async ({ event, body }) => {
      const envelope = envelopeSchema.safeParse(body);
      if (!envelope.success) {
        log.warn({ type, issues: envelope.error.issues }, 'unreadable event envelope');
        return;
      }
      const { event_id: eventId, team_id: teamId } = envelope.data;
      // A redelivery of an event this process already handled; writes are idempotent anyway.
      if (eventId && seenEvents.has(eventId)) return;
      await listener(event, teamId);
      if (eventId) seenEvents.set(eventId, true);
    });
  };

  for (const action of ['added', 'removed'] as const) {
    onEvent(`reaction_${action}`, async (raw, teamId) => {
      const reaction = toReaction(action, raw, teamId, ctx.botUserId);
      if (reaction) await handlers.reaction(reaction);
    });
  }

  onEvent('message', async (raw, teamId) => {
    const m = messageSchema.safeParse(raw);
    if (!m.success || !handlers.message) return;
    const { channel, user, text, ts, thread_ts, subtype, bot_id, channel_type, files } = m.data;
    if (!PERSON_SUBTYPES.has(subtype) || bot_id || !user || user === ctx.botUserId) return;
    // A reply with only a file (slides) is still a reply: notes after a session count it.
    if (!text && !(thread_ts && files?.length)) return;
    if (channel_type === 'im' || channel_type === 'mpim') return;
    await handlers.message({
      message: {
        channel: slackChannel(teamId, channel),
        messageId: ts,
        ...(thread_ts ? { threadId: thread_ts } : {}),
      },
      user: { id: user, isAdmin: false },
      text: text ?? '',
    });
  });

  // A message's menu ("Share paper"): the command runs on that message, its text as the argument.
  app.shortcut({ type: 'message_action', callback_id: /^papers-menu:/ }, async (args) => {
    await args.ack();
    const parsed = shortcutSchema.safeParse(args.body);
    const menu = parsed.success ? ctx.menus.get(parsed.data.callback_id) : undefined;
    if (!parsed.success || !menu) {
      log.warn({ issues: parsed.error?.issues }, 'unreadable message shortcut');
      return;
    }
    const { team, user, channel: ch, message } = parsed.data;
    const teamId = team?.id ?? user.team_id;
    if (!teamId) return;
    const channel = slackChannel(teamId, ch.id, ch.name);
    const target = {
      channel,
      messageId: message.ts,
      ...(message.thread_ts ? { threadId: message.thread_ts } : {}),
    };
    const text = `${menu.words.join(' ')} ${fromSlackText(message.text)}`;
    ctx.background(() => dispatch(ctx, args.respond, channel, user.id, user.username, text, false, target));
  });

  // The Home tab: published for the person each time they open it.
  onEvent('app_home_opened', async (raw, teamId) => {
    const opened = homeOpenedSchema.safeParse(raw);
    if (!opened.success || opened.data.tab === 'messages' || !handlers.home) return;
    const { user } = opened.data;
    ctx.light(() => publishHome(ctx, teamId, user));
  });

  app.action(SETTINGS_ACTION, async (args) => {
    await args.ack();
    const parsed = homeActionSchema.safeParse(args.body);
    const teamId = parsed.success ? (parsed.data.team?.id ?? parsed.data.user.team_id) : undefined;
    if (!parsed.success || !teamId || !handlers.settingsForm) return;
    const { user, trigger_id: triggerId, actions } = parsed.data;
    const channelId = actions[0]!.value;
    const settingsForm = handlers.settingsForm;
    // The trigger is good for 3 s: the form is read and opened beside any commands being worked on.
    ctx.light(async () => {
      const isAdmin = await ctx.admins.isAdmin(teamId, user.id);
      try {
        const form = await settingsForm(slackChannel(teamId, channelId), { id: user.id, isAdmin });
        await ctx.web.openView(triggerId, settingsModal(channelId, form));
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        await ctx.web.openView(triggerId, noticeModal('Channel settings', err.message));
      }
    });
  });

  app.view(SETTINGS_VIEW, async (args) => {
    const parsed = viewSubmissionSchema.safeParse(args.body);
    const teamId = parsed.success ? (parsed.data.team?.id ?? parsed.data.user.team_id) : undefined;
    if (!parsed.success || !teamId || !handlers.submitSettings) {
      await args.ack();
      return;
    }
    const { user, view } = parsed.data;
    const shown = formShown(view.private_metadata);
    if (!shown) {
      await args.ack();
      return;
    }
    const channel = slackChannel(teamId, shown.channelId);
    const isAdmin = await ctx.admins.isAdmin(teamId, user.id);
    try {
      const form = formValues(view.state);
      const outcome = await handlers.submitSettings(
        channel,
        { id: user.id, isAdmin },
        form,
        shown.edited(form),
      );
      if ('errors' in outcome) {
        // Shown under each wrong field; the form stays open and nothing was saved.
        await args.ack({ response_action: 'errors', errors: outcome.errors as Record<string, string> });
        return;
      }
      // Answered first: telling the channel waits its turn there and may fail on its own.
      await args.ack();
      const { announcement } = outcome;
      if (announcement) ctx.light(() => ctx.web.post(channel, announcement));
      ctx.light(() => publishHome(ctx, teamId, user.id));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      await args.ack({ response_action: 'errors', errors: { time: err.message } });
    }
  });

  // Paper links unfold into cards with a Vote button, once per message.
  onEvent('link_shared', async (raw, teamId) => {
    const shared = linkSharedSchema.safeParse(raw);
    if (!shared.success || !handlers.linkCards) return;
    const { channel: channelId, message_ts: ts, user, unfurl_id: unfurlId, source, links } = shared.data;
    // Only where the bot works: not in direct messages, nor in channels it is not a member of.
    if (shared.data.is_bot_user_member === false || channelId?.startsWith('D')) return;
    // A link typed in the composer is unfolded by its unfurl id before the message exists.
    const posted = channelId && ts && source !== 'composer' ? { channel: channelId, ts } : undefined;
    const where = posted ?? (unfurlId && source ? { unfurlId, source } : undefined);
    if (!where || !channelId) return;
    const cards = await handlers.linkCards({
      channel: slackChannel(teamId, channelId),
      ...(posted ? { messageId: posted.ts } : {}),
      ...(posted && shared.data.thread_ts ? { threadId: shared.data.thread_ts } : {}),
      claimKey: posted?.ts ?? `unfurl:${unfurlId}`,
      user: { id: user, isAdmin: false },
      links: links.map((l) => l.url),
    });
    if (cards.length === 0) return;
    await ctx.web.unfurl(
      where,
      Object.fromEntries(cards.map((c) => [c.url, { blocks: renderSlack(c.message).blocks }])),
    );
  });

  onEvent('app_mention', async (raw, teamId) => {
    const m = mentionSchema.safeParse(raw);
    if (!m.success) return;
    const { channel: channelId, user, thread_ts } = m.data;
    const channel = slackChannel(teamId, channelId);
    const responder: SlackResponder = (message) => ctx.postEphemeral(channel, user, message, thread_ts);
    ctx.background(() => dispatchWith(ctx, responder, channel, user, undefined, 'help', false));
  });
}

async function publishHome(ctx: InboundContext, teamId: string, userId: string): Promise<void> {
  const isAdmin = await ctx.admins.isAdmin(teamId, userId);
  const view = await ctx.handlers.home!({ platform: 'slack', workspaceId: teamId }, { id: userId, isAdmin });
  await ctx.web.publishHome(userId, homeTab(view));
}

async function dispatch(
  ctx: InboundContext,
  respond: RespondFn,
  channel: ChannelRef,
  userId: string,
  userName: string | undefined,
  text: string,
  fromButton: boolean,
  target?: MessageRef,
): Promise<void> {
  const responder: SlackResponder = async (message, opts) => {
    await respond({
      response_type: opts.private ? 'ephemeral' : 'in_channel',
      ...(opts.replaceOriginal ? { replace_original: true } : {}),
      text: message.text,
      blocks: message.blocks,
    });
  };
  await dispatchWith(ctx, responder, channel, userId, userName, text, fromButton, target);
}

async function dispatchWith(
  ctx: InboundContext,
  responder: SlackResponder,
  channel: ChannelRef,
  userId: string,
  userName: string | undefined,
  text: string,
  fromButton: boolean,
  target?: MessageRef,
): Promise<void> {
  const isAdmin = await ctx.admins.isAdmin(channel.workspaceId, userId);
  const user = { id: userId, ...(userName ? { name: userName } : {}), isAdmin };
  const ref: CommandRef = {
    id: randomUUID(),
    channel,
    user,
    respond: ctx.responder(channel, userId, responder, fromButton),
  };
  const invocation: CommandInvocation = {
    ref,
    channel,
    user,
    input: { kind: 'text', text },
    ...(fromButton ? { fromButton } : {}),
    ...(target ? { target } : {}),
  };
  await ctx.handlers.command(invocation);
}

function toReaction(
  action: 'added' | 'removed',
  raw: unknown,
  teamId: string,
  botUserId: string,
): ReactionEvent | undefined {
  const r = reactionSchema.safeParse(raw);
  // Reactions on files and file comments are not on anything the bot posted.
  if (!r.success || r.data.item.type !== 'message' || !r.data.item.channel || !r.data.item.ts)
    return undefined;
  const at = r.data.event_ts ? new Date(Number(r.data.event_ts) * 1000) : undefined;
  return {
    action,
    message: { channel: slackChannel(teamId, r.data.item.channel), messageId: r.data.item.ts },
    user: { id: r.data.user, isAdmin: false },
    emoji: r.data.reaction,
    byBot: r.data.user === botUserId,
    ...(at && !Number.isNaN(at.getTime()) ? { at } : {}),
  };
}

export function slackChannel(teamId: string, channelId: string, name?: string): ChannelRef {
  return { platform: 'slack', workspaceId: teamId, channelId, ...(name ? { name: `#${name}` } : {}) };
}
