import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  DiscordAPIError,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  RESTJSONErrorCodes,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import { UserError } from '../../src/domain/errors.js';

/** One typed option of a subcommand; its value goes into the core's command text in declaration order. */
export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required?: boolean;
  choices?: readonly string[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** Suggestions come from the adapter as the person types. */
  autocomplete?: 'timezone';
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: readonly OptionSpec[];
}

export interface CommandSpec {
  name: string;
  description: string;
  /** Changes channel settings: hidden from members without Manage Channels and checked again on use. */
  admin: boolean;
  subcommands: readonly SubcommandSpec[];
}

const topicOption = (description: string): OptionSpec => ({
  name: 'topic',
  description,
  type: 'string',
  required: true,
  maxLength: 100,
});

/** `/papers`: what anyone in the channel may do. */
export const PAPERS_COMMAND: CommandSpec = {
  name: 'papers',
  description: 'Trending papers, search and votes',
  admin: false,
  subcommands: [
    {
      name: 'search',
      description: 'Find papers (only you see the results)',
      options: [
        {
          name: 'query',
          description: 'words, "a phrase", -word, author:, cat:, since:, before:, sort:',
          type: 'string',
          required: true,
          maxLength: 200,
        },
      ],
    },
    {
      name: 'top',
      description: 'The most-voted papers',
      options: [
        { name: 'period', description: 'default: week', type: 'string', choices: ['week', 'month', 'all'] },
      ],
    },
    { name: 'digest', description: "Post today's trending papers thread in this channel now", options: [] },
    {
      name: 'share',
      description: 'Post a votable card for a paper',
      options: [
        { name: 'paper', description: 'arXiv id or link', type: 'string', required: true, maxLength: 200 },
      ],
    },
    { name: 'pick', description: 'The current discussion pick', options: [] },
    {
      name: 'discussed',
      description: 'Mark the pick (or the given paper) as discussed',
      options: [{ name: 'paper', description: 'arXiv id or link', type: 'string', maxLength: 200 }],
    },
    { name: 'history', description: 'Past discussions', options: [] },
    { name: 'settings', description: "This channel's settings and the next digest", options: [] },
    {
      name: 'help',
      description: 'How to use the bot',
      options: [{ name: 'topic', description: 'e.g. search', type: 'string', maxLength: 50 }],
    },
  ],
};

/**
 * `/papers-admin`: channel settings. Discord sets default permissions per top-level command only, so the
 * settings live in a command of their own that only members with Manage Channels see.
 */
export const ADMIN_COMMAND: CommandSpec = {
  name: 'papers-admin',
  description: "Change this channel's paper digest",
  admin: true,
  subcommands: [
    {
      name: 'digest',
      description: 'Turn the daily digest on or off',
      options: [
        { name: 'state', description: 'on or off', type: 'string', required: true, choices: ['on', 'off'] },
      ],
    },
    {
      name: 'schedule',
      description: 'When the daily digest is posted',
      options: [
        { name: 'time', description: 'HH:MM, 24-hour clock', type: 'string', required: true, maxLength: 5 },
        { name: 'timezone', description: 'e.g. Europe/Berlin', type: 'string', autocomplete: 'timezone' },
        {
          name: 'days',
          description: 'daily, weekdays, or days like mon,wed,fri',
          type: 'string',
          maxLength: 27,
        },
      ],
    },
    {
      name: 'size',
      description: 'Papers per digest',
      options: [{ name: 'papers', description: '1 to 20', type: 'integer', required: true, min: 1, max: 20 }],
    },
    {
      name: 'follow',
      description: 'Favour a topic or category',
      options: [topicOption('a topic or cat:cs.CL')],
    },
    {
      name: 'unfollow',
      description: 'Stop favouring a topic',
      options: [topicOption('a topic or cat:cs.CL')],
    },
    { name: 'mute', description: 'Leave out papers with a word', options: [topicOption('a word or cat:…')] },
    { name: 'unmute', description: 'Stop leaving out a word', options: [topicOption('a word or cat:…')] },
    {
      name: 'pick',
      description: 'When the discussion pick is posted, or turn it on or off',
      options: [
        {
          name: 'day',
          description: 'a day of the week, or on/off',
          type: 'string',
          required: true,
          choices: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'on', 'off'],
        },
        { name: 'time', description: 'HH:MM, 24-hour clock (with a day)', type: 'string', maxLength: 5 },
      ],
    },
    {
      name: 'recap',
      description: "Monday's recap of last week's most-voted papers",
      options: [
        { name: 'state', description: 'on or off', type: 'string', required: true, choices: ['on', 'off'] },
      ],
    },
    {
      name: 'empty-note',
      description: 'One quiet line on days with nothing new to post',
      options: [
        { name: 'state', description: 'on or off', type: 'string', required: true, choices: ['on', 'off'] },
      ],
    },
  ],
};

export const COMMANDS: readonly CommandSpec[] = [PAPERS_COMMAND, ADMIN_COMMAND];

/** What the bot needs in a channel: read it, post, start threads and post in them, embed links. */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

/** The registration payload for both commands. */
export function commandPayload(): RESTPutAPIApplicationCommandsJSONBody {
  return COMMANDS.map((command) => ({
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
    await rest.put(route, { body: commandPayload() });
  } catch (err) {
    throw explainRegistrationFailure(err, options);
  }
  return { registered: COMMANDS.map((c) => `/${c.name}`) };
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

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** An option value as an interaction carries it. */
export type OptionValue = string | number | boolean;

/**
 * Turns a chosen subcommand and its options back into the core's command text (`schedule 09:30
 * Europe/Berlin weekdays`), so one parser serves every platform. Values Discord should have refused (a
 * stale client, a hand-made request) get a reply that says what would work.
 */
export function commandText(
  command: CommandSpec,
  subcommand: string,
  values: ReadonlyMap<string, OptionValue>,
): { ok: true; text: string } | { ok: false; problem: string } {
  const spec = command.subcommands.find((s) => s.name === subcommand);
  // An unknown subcommand (registered by an older version) goes to the core, which lists what exists.
  if (!spec) return { ok: true, text: [subcommand, ...[...values.values()].map(String)].join(' ') };
  const words: string[] = [spec.name];
  for (const option of spec.options) {
    const value = values.get(option.name);
    if (value === undefined || value === '') {
      if (option.required)
        return { ok: false, problem: `\`/${command.name} ${spec.name}\` needs \`${option.name}\`.` };
      continue;
    }
    const problem = checkOption(option, value);
    if (problem) return { ok: false, problem: `\`${option.name}\` ${problem}` };
    words.push(String(value).trim());
  }
  return { ok: true, text: words.join(' ') };
}

function checkOption(option: OptionSpec, value: OptionValue): string | undefined {
  if (option.type === 'integer') {
    const inRange =
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= (option.min ?? Number.MIN_SAFE_INTEGER) &&
      value <= (option.max ?? Number.MAX_SAFE_INTEGER);
    return inRange ? undefined : `must be a whole number from ${option.min} to ${option.max} (got ${value}).`;
  }
  if (typeof value !== 'string') return `must be text (got ${value}).`;
  if (option.choices && !option.choices.includes(value)) {
    return `must be one of ${option.choices.join(', ')} (got "${value}").`;
  }
  if (option.maxLength !== undefined && value.length > option.maxLength) {
    return `is limited to ${option.maxLength} characters (got ${value.length}).`;
  }
  return undefined;
}

/** Up to 25 IANA timezones containing what the person typed, for the timezone option. */
export function timezoneChoices(typed: string): APIApplicationCommandOptionChoice<string>[] {
  const needle = typed.trim().toLowerCase().replace(/\s+/g, '_');
  return [...Intl.supportedValuesOf('timeZone'), 'UTC']
    .filter((zone, i, all) => all.indexOf(zone) === i && zone.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((zone) => ({ name: zone, value: zone }));
}
