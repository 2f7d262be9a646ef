import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  DiscordAPIError,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  RESTJSONErrorCodes,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import {
  type CommandCatalog,
  type CommandSpec,
  type OptionSpec,
  subcommandName,
} from '../../src/domain/commands.js';
import { UserError } from '../../src/domain/errors.js';

/** A top-level Discord command and its subcommands, built from the command table. */
export interface DiscordCommand {
  name: string;
  description: string;
  /** Changes channel settings: hidden from members without Manage Channels and checked again on use. */
  admin: boolean;
  subcommands: readonly { name: string; description: string; options: readonly OptionSpec[] }[];
}

export const PAPERS = 'papers';
/**
 * Channel settings live in a command of their own that only members with Manage Channels see: Discord
 * sets default permissions per top-level command only.
 */
export const PAPERS_ADMIN = 'papers-admin';

/** `/papers` with everyone's commands, `/papers-admin` with the admins', each a subcommand. */
export function discordCommands(catalog: CommandCatalog): [DiscordCommand, DiscordCommand] {
  const group = (admin: boolean) =>
    catalog.specs
      .filter((spec) => spec.admin === admin)
      .map((spec) => ({ name: subcommandName(spec), description: spec.summary, options: spec.options }));
  return [
    {
      name: PAPERS,
      description: 'Trending papers, search and votes',
      admin: false,
      subcommands: group(false),
    },
    {
      name: PAPERS_ADMIN,
      description: "Change this channel's paper digest",
      admin: true,
      subcommands: group(true),
    },
  ];
}

/** Discord allows an application at most 5 message commands, each named in 1-32 characters. */
const MAX_MESSAGE_COMMANDS = 5;
const MAX_MESSAGE_COMMAND_NAME = 32;

/** The commands on a message's menu (Apps → …), one per spec with a `messageMenu`, by its menu name. */
export function messageCommands(
  catalog: CommandCatalog,
): (CommandSpec & { messageMenu: NonNullable<CommandSpec['messageMenu']> })[] {
  const specs = catalog.specs.filter(
    (spec): spec is CommandSpec & { messageMenu: NonNullable<CommandSpec['messageMenu']> } =>
      spec.messageMenu !== undefined,
  );
  // Discord refuses the whole registration otherwise; say which rule the table breaks.
  if (specs.length > MAX_MESSAGE_COMMANDS) {
    throw new Error(
      `Discord allows ${MAX_MESSAGE_COMMANDS} message commands; the table has ${specs.length}.`,
    );
  }
  const long = specs.find((spec) => spec.messageMenu.name.length > MAX_MESSAGE_COMMAND_NAME);
  if (long) {
    throw new Error(
      `The message command "${long.messageMenu.name}" is longer than Discord's ${MAX_MESSAGE_COMMAND_NAME} characters.`,
    );
  }
  return specs;
}

/**
 * What the bot needs: read a channel, post, start threads and post in them, embed links; and put a
 * reading group's sessions in the server's events.
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.CreateEvents;

/**
 * The registration payload: both slash commands, then a message command (type 3, which has no description
 * or options) for every command on the message menu.
 */
export function commandPayload(catalog: CommandCatalog): RESTPutAPIApplicationCommandsJSONBody {
  const slash: RESTPutAPIApplicationCommandsJSONBody = discordCommands(catalog).map((command) => ({
    name: command.name,
    description: command.description,
    type: 1,
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    default_member_permissions: command.admin ? PermissionFlagsBits.ManageChannels.toString() : null,
    options: command.subcommands.map((sub) => ({
      type: ApplicationCommandOptionType.Subcommand,
      name: sub.name,
      description: sub.description,
      options: sub.options.map(optionPayload),
    })),
  }));
  const menu: RESTPutAPIApplicationCommandsJSONBody = messageCommands(catalog).map((spec) => ({
    name: spec.messageMenu.name,
    type: ApplicationCommandType.Message,
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    default_member_permissions: spec.admin ? PermissionFlagsBits.ManageChannels.toString() : null,
  }));
  return [...slash, ...menu];
}

function optionPayload(option: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: option.description, required: option.required ?? false };
  if (option.type === 'integer') {
    return {
      ...base,
      type: ApplicationCommandOptionType.Integer as const,
      ...(option.min !== undefined ? { min_value: option.min } : {}),
      ...(option.max !== undefined ? { max_value: option.max } : {}),
    };
  }
  const text = {
    ...base,
    type: ApplicationCommandOptionType.String as const,
    ...(option.maxLength !== undefined ? { max_length: option.maxLength } : {}),
  };
  if (option.autocomplete) return { ...text, autocomplete: true };
  return {
    ...text,
    ...(option.choices ? { choices: option.choices.map((c) => ({ name: c, value: c })) } : {}),
  };
}

export interface RegisterOptions {
  commands: CommandCatalog;
  token: string;
  applicationId: string;
  /** REST base (DISCORD_API_URL); default Discord's own. */
  apiUrl?: string;
  /** One server, where changes show at once (for setup); without it, every server (may take an hour). */
  guildId?: string;
}

/** Replaces the application's commands with this version's, in one guild or globally. */
export async function registerCommands(options: RegisterOptions): Promise<{ registered: string[] }> {
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 1, timeout: 15_000 });
  rest.setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  try {
    await rest.put(route, { body: commandPayload(options.commands) });
  } catch (err) {
    throw explainRegistrationFailure(err, options);
  }
  const menus = options.commands.specs.flatMap((spec) =>
    spec.messageMenu ? [`“${spec.messageMenu.name}” on messages`] : [],
  );
  return { registered: [`/${PAPERS}`, `/${PAPERS_ADMIN}`, ...menus] };
}

function explainRegistrationFailure(err: unknown, options: RegisterOptions): Error {
  if (!(err instanceof DiscordAPIError)) return err instanceof Error ? err : new Error(String(err));
  if (err.status === 401) {
    return new UserError(
      'Discord rejected DISCORD_TOKEN: copy the token again from the Developer Portal (Bot → Reset Token).',
    );
  }
  if (err.code === RESTJSONErrorCodes.MissingAccess && options.guildId) {
    return new UserError(
      `The bot cannot add commands to server ${options.guildId}: invite it there first, with the applications.commands scope:\n  ${inviteUrl(options.applicationId)}`,
    );
  }
  if (err.code === RESTJSONErrorCodes.UnknownApplication || err.status === 403) {
    return new UserError(
      `Discord refused the registration (${err.message}): check that DISCORD_APPLICATION_ID is this bot's Application ID.`,
    );
  }
  return new UserError(`Discord refused the commands (${err.status} ${err.message}).`);
}

/** The link that adds the bot to a server with its commands and the permissions it needs. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params}`;
}

/** Up to 25 IANA timezones containing what the person typed, for the timezone option. */
export function timezoneChoices(typed: string): APIApplicationCommandOptionChoice<string>[] {
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  return [...Intl.supportedValuesOf('timeZone'), 'UTC']
    .filter((zone, i, all) => all.indexOf(zone) === i && zone.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((zone) => ({ name: zone, value: zone }));
}
