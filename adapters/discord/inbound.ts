import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type Channel,
  type ChatInputCommandInteraction,
  type Client,
  DiscordAPIError,
  Events,
  type GatewayDispatchPayload,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord.js';
import { z } from 'zod';
import type { CommandCatalog, CommandInput, OptionValue } from '../../src/domain/commands.js';
import type { Logger } from '../../src/domain/log.js';
import type { CommandInvocation, CommandRef, InboundHandlers, Responder } from '../../src/domain/ports.js';
import type { ChannelRef, MessageRef, UserRef } from '../../src/domain/types.js';
import { messageCommands, PAPERS, PAPERS_ADMIN, timezoneChoices } from './commands.js';
import type { CustomIds } from './custom-ids.js';

/** The interactions that run a command: a slash command, a button, a message's menu. */
type CommandInteraction =
  | ChatInputCommandInteraction
  | ButtonInteraction
  | MessageContextMenuCommandInteraction;

/** An interaction being answered: how it was acknowledged, and whether an answer has gone out yet. */
export interface InteractionAnswer {
  interaction: CommandInteraction;
  /** `update` edits the message the pressed button is on; `reply` answers below it. */
  mode: 'reply' | 'update';
  ephemeral: boolean;
  answered: boolean;
}

export interface InboundContext {
  client: Client;
  handlers: InboundHandlers;
  commands: CommandCatalog;
  log: Logger;
  customIds: CustomIds;
  /** The way back for a command: answers the interaction, or replies to the mention. */
  responder(answer: InteractionAnswer | { mention: Message<true> }): Responder;
  /** Pasted messages reach the core only when the Message Content intent was asked for. */
  linkShares: boolean;
}

const reactionPacket = z.object({
  t: z.enum(['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE']),
  d: z.object({
    user_id: z.string(),
    channel_id: z.string(),
    message_id: z.string(),
    guild_id: z.string().optional(),
    emoji: z.object({ id: z.string().nullable().optional(), name: z.string().nullable() }),
    member: z.object({ user: z.object({ username: z.string().optional() }).optional() }).optional(),
  }),
});

const pollVotePacket = z.object({
  t: z.enum(['MESSAGE_POLL_VOTE_ADD', 'MESSAGE_POLL_VOTE_REMOVE']),
  d: z.object({
    user_id: z.string(),
    channel_id: z.string(),
    message_id: z.string(),
    guild_id: z.string().optional(),
    answer_id: z.number().int(),
  }),
});

const interestPacket = z.object({
  t: z.enum(['GUILD_SCHEDULED_EVENT_USER_ADD', 'GUILD_SCHEDULED_EVENT_USER_REMOVE']),
  d: z.object({ guild_scheduled_event_id: z.string(), user_id: z.string(), guild_id: z.string() }),
});

/** Wires the client's events to the core. Every handler logs its own failures: one bad event never stops the rest. */
export function listen(client: Client, ctx: InboundContext): void {
  // Lookups of uncached channels in flight: a burst of reactions in one thread costs one fetch, not one each.
  const lookups = new Map<string, Promise<Location>>();
  client.on(Events.InteractionCreate, (interaction) => {
    void onInteraction(ctx, lookups, interaction).catch((err: unknown) =>
      logFailure(ctx.log, err, 'interaction'),
    );
  });
  // Reactions are read from the raw dispatch: discord.js drops a reaction in a thread it has not cached
  // (every archived digest thread after a restart), even with partials, as it cannot build the channel.
  // Poll votes and "Interested" likewise: the ballot or the event need not be cached.
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t === 'MESSAGE_REACTION_ADD' || packet.t === 'MESSAGE_REACTION_REMOVE') {
      void onReaction(ctx, lookups, packet).catch((err: unknown) => logFailure(ctx.log, err, 'reaction'));
    } else if (packet.t === 'MESSAGE_POLL_VOTE_ADD' || packet.t === 'MESSAGE_POLL_VOTE_REMOVE') {
      void onPollVote(ctx, packet).catch((err: unknown) => logFailure(ctx.log, err, 'poll vote'));
    } else if (
      packet.t === 'GUILD_SCHEDULED_EVENT_USER_ADD' ||
      packet.t === 'GUILD_SCHEDULED_EVENT_USER_REMOVE'
    ) {
      void onInterest(ctx, packet).catch((err: unknown) => logFailure(ctx.log, err, 'event interest'));
    }
  });
  client.on(Events.MessageCreate, (message) => {
    void onMessage(ctx, message).catch((err: unknown) => logFailure(ctx.log, err, 'message'));
  });
}

async function onInteraction(
  ctx: InboundContext,
  lookups: Map<string, Promise<Location>>,
  interaction: Interaction,
): Promise<void> {
  if (interaction.isAutocomplete()) return onAutocomplete(interaction);
  if (interaction.isChatInputCommand()) return onSlashCommand(ctx, lookups, interaction);
  if (interaction.isButton()) return onButton(ctx, lookups, interaction);
  if (interaction.isMessageContextMenuCommand()) return onMessageMenu(ctx, lookups, interaction);
}

async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === 'timezone' ? timezoneChoices(String(focused.value)) : []);
}

async function onSlashCommand(
  ctx: InboundContext,
  lookups: Map<string, Promise<Location>>,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const known = interaction.commandName === PAPERS || interaction.commandName === PAPERS_ADMIN;
  if (!known || !interaction.inCachedGuild()) {
    await interaction.reply({
      content: 'This command works in a server channel, as `/papers help` shows.',
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const admin = interaction.commandName === PAPERS_ADMIN;
  const values: Record<string, OptionValue> = {};
  for (const option of interaction.options.data[0]?.options ?? []) {
    if (option.value !== undefined) values[option.name] = option.value;
  }
  const name = interaction.options.getSubcommand(false) ?? 'help';
  const input: CommandInput = { kind: 'options', admin, name, values };
  const user = userOf(interaction);
  if (admin && !user.isAdmin) {
    ctx.log.info({ user: user.id, channel: interaction.channelId, command: name }, 'settings refused');
    await interaction.reply({
      content: `Changing this channel's digest needs the Manage Channels permission in <#${interaction.channelId}>. Ask someone who has it, or use \`/papers settings\` to see the current settings.`,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  await runCommand(ctx, interaction, input, false, lookups);
}

async function onButton(
  ctx: InboundContext,
  lookups: Map<string, Promise<Location>>,
  interaction: ButtonInteraction,
): Promise<void> {
  const command = ctx.customIds.commandFor(interaction.customId);
  if (command === undefined || !interaction.inCachedGuild()) {
    await interaction.reply({
      content: 'This button has expired. Run the command again, e.g. `/papers search`.',
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  await runCommand(ctx, interaction, { kind: 'text', text: command }, true, lookups);
}

/**
 * A command chosen on a message's menu (Apps → Share paper): runs like its slash command, typed as its
 * words followed by the message's text, with the message as its target. Discord sends the message's
 * content with the interaction, so this needs no Message Content intent. A message in a thread is
 * located under the thread's parent channel, where the bot records its posts, as reactions are.
 */
async function onMessageMenu(
  ctx: InboundContext,
  lookups: Map<string, Promise<Location>>,
  interaction: MessageContextMenuCommandInteraction,
): Promise<void> {
  const spec = messageCommands(ctx.commands).find((s) => s.messageMenu.name === interaction.commandName);
  if (!spec || !interaction.inCachedGuild()) {
    await interaction.reply({
      content: 'This command works on messages in a server channel, as `/papers help` shows.',
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const user = userOf(interaction);
  if (spec.admin && !user.isAdmin) {
    await interaction.reply({
      content: `${spec.messageMenu.name} needs the Manage Channels permission in <#${interaction.channelId}>.`,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const message = interaction.targetMessage;
  const where = await locate(ctx.client, lookups, message.channelId);
  if (!where) {
    await interaction.reply({
      content: `I can't see <#${message.channelId}>: I need View Channel there.`,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const parent = ctx.client.channels.cache.get(where.channelId);
  const channel: ChannelRef = {
    platform: 'discord',
    workspaceId: interaction.guildId,
    channelId: where.channelId,
    ...(parent && 'name' in parent && parent.name ? { name: `#${parent.name}` } : {}),
  };
  const target: MessageRef = {
    channel,
    messageId: message.id,
    ...(where.threadId ? { threadId: where.threadId } : {}),
  };
  const text = `${spec.words.join(' ')} ${message.content}`;
  await runCommand(ctx, interaction, { kind: 'text', text }, false, lookups, { channel, target });
}

/**
 * Acknowledges at once (Discord allows 3 s and searches or digests may take longer), then hands the
 * command to the core. A paging button replaces the results it sits under; anything else answers anew.
 * A command run on a message (`on`) is in that message's channel and carries it as its target.
 */
async function runCommand(
  ctx: InboundContext,
  interaction: CachedCommandInteraction,
  input: CommandInput,
  fromButton: boolean,
  lookups: Map<string, Promise<Location>>,
  on?: { channel: ChannelRef; target: MessageRef },
): Promise<void> {
  const paging = input.kind === 'text' && /^search\s/.test(input.text);
  const mode = fromButton && paging ? 'update' : 'reply';
  const ephemeral = ctx.commands.visibility(input) === 'private';
  try {
    if (mode === 'update' && interaction.isButton()) await interaction.deferUpdate();
    else await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  } catch (err) {
    if (isExpired(err)) {
      // Discord gave up on it (the 3 s passed, perhaps in a long pause): the person has already seen
      // "the application did not respond", so running the command now would only surprise them.
      ctx.log.warn({ interaction: interaction.id }, 'interaction expired before it was acknowledged');
      return;
    }
    throw err;
  }
  const ref: CommandRef = {
    id: interaction.id,
    channel: on?.channel ?? (await channelOf(ctx, lookups, interaction)),
    user: userOf(interaction),
    respond: ctx.responder({ interaction, mode, ephemeral, answered: false }),
  };
  const invocation: CommandInvocation = {
    ref,
    channel: ref.channel,
    user: ref.user,
    input,
    ...(fromButton ? { fromButton } : {}),
    ...(on ? { target: on.target } : {}),
  };
  await ctx.handlers.command(invocation);
}

async function onReaction(
  ctx: InboundContext,
  lookups: Map<string, Promise<Location>>,
  raw: GatewayDispatchPayload,
): Promise<void> {
  const parsed = reactionPacket.safeParse(raw);
  if (!parsed.success) {
    ctx.log.warn({ issues: parsed.error.issues, event: raw.t }, 'malformed reaction event ignored');
    return;
  }
  const { t, d } = parsed.data;
  const emoji = d.emoji.name;
  if (!d.guild_id || !emoji) return;
  const where = await locate(ctx.client, lookups, d.channel_id);
  if (!where) {
    ctx.log.warn(
      { channel: d.channel_id, message: d.message_id },
      'reaction in a channel the bot cannot see',
    );
    return;
  }
  await ctx.handlers.reaction({
    action: t === 'MESSAGE_REACTION_ADD' ? 'added' : 'removed',
    message: {
      channel: { platform: 'discord', workspaceId: d.guild_id, channelId: where.channelId },
      messageId: d.message_id,
      ...(where.threadId ? { threadId: where.threadId } : {}),
    },
    user: {
      id: d.user_id,
      ...(d.member?.user?.username ? { name: d.member.user.username } : {}),
      isAdmin: false,
    },
    emoji,
    byBot: d.user_id === ctx.client.user?.id,
  });
}

/** A vote in a ballot's poll: Discord numbers the answers from 1, in the ballot's order. */
async function onPollVote(ctx: InboundContext, raw: GatewayDispatchPayload): Promise<void> {
  const parsed = pollVotePacket.safeParse(raw);
  if (!parsed.success || !parsed.data.d.guild_id || !ctx.handlers.ballotVote) return;
  const { t, d } = parsed.data;
  await ctx.handlers.ballotVote({
    action: t === 'MESSAGE_POLL_VOTE_ADD' ? 'added' : 'removed',
    message: {
      channel: { platform: 'discord', workspaceId: d.guild_id!, channelId: d.channel_id },
      messageId: d.message_id,
    },
    user: { id: d.user_id, isAdmin: false },
    choice: d.answer_id,
  });
}

async function onInterest(ctx: InboundContext, raw: GatewayDispatchPayload): Promise<void> {
  const parsed = interestPacket.safeParse(raw);
  if (!parsed.success || !ctx.handlers.eventInterest) return;
  const { t, d } = parsed.data;
  await ctx.handlers.eventInterest({
    action: t === 'GUILD_SCHEDULED_EVENT_USER_ADD' ? 'added' : 'removed',
    eventId: d.guild_scheduled_event_id,
    user: { id: d.user_id, isAdmin: false },
  });
}

type Location = { channelId: string; threadId?: string } | undefined;

/**
 * The channel the bot's posts are recorded under: the parent for a message in a thread (digest papers
 * live in the digest's thread), fetched when the thread is not cached.
 */
async function locate(
  client: Client,
  pending: Map<string, Promise<Location>>,
  channelId: string,
): Promise<Location> {
  const cached = client.channels.cache.get(channelId);
  if (cached) return locationOf(cached);
  let lookup = pending.get(channelId);
  if (!lookup) {
    lookup = client.channels
      .fetch(channelId)
      .then((channel) => (channel ? locationOf(channel) : undefined))
      .catch((err: unknown) => {
        if (err instanceof DiscordAPIError && (err.status === 403 || err.status === 404)) return undefined;
        throw err;
      })
      .finally(() => pending.delete(channelId));
    pending.set(channelId, lookup);
  }
  return lookup;
}

function locationOf(channel: Channel): Location {
  if (channel.isThread() && channel.parentId) return { channelId: channel.parentId, threadId: channel.id };
  return { channelId: channel.id };
}

async function onMessage(ctx: InboundContext, message: Message): Promise<void> {
  if (message.author.bot || !message.inGuild() || !ctx.client.user) return;
  const mentioned = message.mentions.has(ctx.client.user, {
    ignoreEveryone: true,
    ignoreRoles: true,
    ignoreRepliedUser: true,
  });
  const user: UserRef = {
    id: message.author.id,
    name: message.author.username,
    isAdmin:
      message.member?.permissionsIn(message.channelId).has(PermissionFlagsBits.ManageChannels) ?? false,
  };
  const channel: ChannelRef = {
    platform: 'discord',
    workspaceId: message.guildId,
    channelId: message.channelId,
    ...('name' in message.channel ? { name: `#${message.channel.name}` } : {}),
  };
  if (mentioned) {
    // "@papers top" runs `top`; a bare mention (or anything unknown) gets the usage from the core.
    const text = message.content.replace(/<@!?\d+>/g, '').trim() || 'help';
    const ref: CommandRef = {
      id: `message:${message.id}`,
      channel,
      user,
      respond: ctx.responder({ mention: message }),
    };
    await ctx.handlers.command({ ref, channel, user, input: { kind: 'text', text } });
    return;
  }
  if (!ctx.handlers.message) return;
  if (message.channel.isThread() && message.channel.parentId) {
    // A reply in a thread (a session's notes): its text is there only with the Message Content intent.
    await ctx.handlers.message({
      message: {
        // The parent channel, under which the bot recorded its posts; the thread's own name is not its name.
        channel: { platform: 'discord', workspaceId: message.guildId, channelId: message.channel.parentId },
        messageId: message.id,
        threadId: message.channelId,
      },
      user,
      text: ctx.linkShares ? message.content : '',
    });
  } else if (ctx.linkShares) {
    await ctx.handlers.message({ message: { channel, messageId: message.id }, user, text: message.content });
  }
}

type CachedCommandInteraction =
  | ChatInputCommandInteraction<'cached'>
  | ButtonInteraction<'cached'>
  | MessageContextMenuCommandInteraction<'cached'>;

/**
 * Where a command counts: in a thread (a digest's, a forum post), the channel it belongs to, as for
 * reactions; so a Vote or Save button under a paper in a thread finds the paper's post. A thread the bot
 * has not seen since it started (an archived digest's) is looked up.
 */
async function channelOf(
  ctx: InboundContext,
  lookups: Map<string, Promise<Location>>,
  interaction: CachedCommandInteraction,
): Promise<ChannelRef> {
  const where = (interaction.channel
    ? locationOf(interaction.channel)
    : await locate(ctx.client, lookups, interaction.channelId)) ?? { channelId: interaction.channelId };
  const channel = ctx.client.channels.cache.get(where.channelId);
  const name = channel && 'name' in channel ? channel.name : undefined;
  return {
    platform: 'discord',
    workspaceId: interaction.guildId,
    channelId: where.channelId,
    ...(name ? { name: `#${name}` } : {}),
  };
}

/** Admin rights are the member's permissions in this channel (overwrites included), as Discord sends them. */
function userOf(interaction: CachedCommandInteraction): UserRef {
  return {
    id: interaction.user.id,
    name: interaction.user.username,
    isAdmin: interaction.memberPermissions.has(PermissionFlagsBits.ManageChannels),
  };
}

/** Discord no longer accepts an answer to this interaction (answered too late, or already answered). */
export function isExpired(err: unknown): boolean {
  return (
    err instanceof DiscordAPIError &&
    (err.code === RESTJSONErrorCodes.UnknownInteraction || err.code === RESTJSONErrorCodes.UnknownWebhook)
  );
}

function logFailure(log: Logger, err: unknown, what: string): void {
  if (isExpired(err)) log.warn({ err: String(err) }, `${what}: Discord no longer accepts an answer`);
  else log.error({ err }, `${what} failed`);
}
