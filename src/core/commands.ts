import { UserError } from '../domain/errors.js';
import { canonicalTimezone, isTimezone, suggestTimezones } from '../domain/time.js';
import type { LeaderboardPeriod } from '../domain/types.js';

/** A command typed after `/papers`, parsed once for every platform. */
export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'search'; query: string }
  | { name: 'top'; period: LeaderboardPeriod }
  | { name: 'digest' }
  | { name: 'settings' }
  | { name: 'share'; target: string }
  | { name: 'pick' }
  | { name: 'discussed'; paper?: string }
  | { name: 'history' }
  | SettingChange;

/** Commands that change a channel for everyone: they need the platform's admin rights. */
export type SettingChange =
  | { name: 'digest-enabled'; enabled: boolean }
  | { name: 'schedule'; time: string; timezone?: string; days?: number[] }
  | { name: 'size'; size: number }
  | { name: 'follow' | 'unfollow' | 'mute' | 'unmute'; term: string }
  | { name: 'pick-enabled'; enabled: boolean }
  | { name: 'pick-schedule'; day: number; time: string }
  | { name: 'recap-enabled'; enabled: boolean }
  | { name: 'empty-note'; enabled: boolean };

const SETTING_CHANGES = new Set<string>([
  'digest-enabled',
  'schedule',
  'size',
  'follow',
  'unfollow',
  'mute',
  'unmute',
  'pick-enabled',
  'pick-schedule',
  'recap-enabled',
  'empty-note',
]);

export function isSettingChange(command: Command): command is SettingChange {
  return SETTING_CHANGES.has(command.name);
}

/** Answers the whole channel sees: the leaderboard, the pick, and changes made for everyone. */
const PUBLIC_ANSWERS = new Set<string>(['top', 'pick', 'discussed', ...SETTING_CHANGES]);

/**
 * Whether the answer to `/papers <text>` is for the asker alone (a mistake always is). For adapters that
 * must choose before the core has run, such as Discord's deferred reply.
 */
export function answersPrivately(text: string): boolean {
  try {
    return !PUBLIC_ANSWERS.has(parseCommand(text).name);
  } catch {
    return true;
  }
}

export const MAX_DIGEST_SIZE = 20;

export const USAGE = [
  'Usage: /papers <command>',
  '  /papers search <words>          find papers, only you see the results (/papers help search)',
  '  /papers top [week|month|all]    the most-voted papers (default: week)',
  '  /papers share <arXiv id|link>   post a paper for the team to vote on',
  '  /papers pick                    the next discussion: the top-voted paper not yet discussed',
  '  /papers discussed [arXiv id]    mark the pick (or that paper) as discussed',
  '  /papers history                 papers discussed so far',
  "  /papers digest                  post today's trending papers thread now",
  "  /papers settings                this channel's settings and its next digest",
  'Admins:',
  '  /papers digest on|off           the daily digest in this channel',
  '  /papers schedule 09:30 Europe/Berlin weekdays   time, timezone, days (daily, weekdays, mon,wed,fri)',
  `  /papers size 1-${MAX_DIGEST_SIZE}               papers per digest`,
  '  /papers follow|unfollow <topic|cat:cs.CL>   topics that rise to the top',
  '  /papers mute|unmute <word|cat:…>            words or categories never posted',
  '  /papers pick fri 15:00 | pick on|off        when the discussion pick is posted',
  '  /papers recap on|off            the Monday recap of last week',
  '  /papers digest empty-note on|off   one quiet line on days with nothing new',
  'Vote by reacting to a paper the bot posted (👍 🔥 🚀 ❤️ ⬆️; 👎 counts against); remove it to take it back.',
].join('\n');

/** Parses the text after `/papers`; throws a UserError naming the problem and what would work. */
export function parseCommand(text: string): Command {
  const trimmed = text.trim();
  const [head = '', ...rest] = trimmed.split(/\s+/);
  const name = head.toLowerCase();
  const args = trimmed.slice(head.length).trim();
  switch (name) {
    case '':
    case 'help':
      return args ? { name: 'help', topic: args.toLowerCase() } : { name: 'help' };
    case 'search':
    case 's':
      if (!args) throw new UserError('What should I search for? Try `/papers search kv cache compression`.');
      return { name: 'search', query: args };
    case 'top': {
      const period = (rest[0] ?? 'week').toLowerCase();
      if (period !== 'week' && period !== 'month' && period !== 'all') {
        throw new UserError(`"${rest[0]}" is not a period. Try \`/papers top week\`, \`month\` or \`all\`.`);
      }
      return { name: 'top', period };
    }
    case 'digest':
      return parseDigest(rest);
    case 'schedule':
      return parseSchedule(rest);
    case 'size':
      return { name: 'size', size: parseSize(args) };
    case 'follow':
    case 'unfollow':
    case 'mute':
    case 'unmute':
      return { name, term: parseTerm(name, args) };
    case 'settings':
      return { name: 'settings' };
    case 'share':
      if (!args) throw new UserError('Share what? Give an arXiv id or link: `/papers share 2401.12345`.');
      return { name: 'share', target: args };
    case 'pick':
      return parsePick(rest);
    case 'discussed':
      return args ? { name: 'discussed', paper: args } : { name: 'discussed' };
    case 'history':
      return { name: 'history' };
    case 'recap':
      return { name: 'recap-enabled', enabled: parseOnOff(rest[0], '/papers recap on') };
    case 'empty-note':
      return { name: 'empty-note', enabled: parseOnOff(rest[0], '/papers digest empty-note on') };
    default:
      throw new UserError(`I don't know "/papers ${head}".\n${USAGE}`);
  }
}

function parseDigest(args: string[]): Command {
  const [first, second] = args.map((a) => a.toLowerCase());
  if (!first || first === 'now') return { name: 'digest' };
  if (first === 'on' || first === 'off') return { name: 'digest-enabled', enabled: first === 'on' };
  if (first === 'empty-note')
    return { name: 'empty-note', enabled: parseOnOff(second, '/papers digest empty-note on') };
  throw new UserError(
    `\`/papers digest ${args.join(' ')}\` is not a digest command: use \`/papers digest\` (post now), \`digest on\`, \`digest off\` or \`digest empty-note on|off\`.`,
  );
}

function parseOnOff(value: string | undefined, example: string): boolean {
  const v = value?.toLowerCase();
  if (v === 'on' || v === 'off') return v === 'on';
  throw new UserError(`Say on or off, e.g. \`${example}\`${value ? ` (got "${value}")` : ''}.`);
}

/** `09:30`, `9:30`, `9am`, `5:30pm` → `HH:MM`; a UserError otherwise. */
export function parseTime(value: string | undefined): string {
  const match = value ? /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i.exec(value) : null;
  if (match) {
    let hours = Number(match[1]);
    const minutes = Number(match[2] ?? 0);
    const meridiem = match[3]?.toLowerCase();
    if (meridiem && hours >= 1 && hours <= 12) hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0);
    else if (meridiem) hours = 99;
    if ((match[2] !== undefined || meridiem) && hours <= 23 && minutes <= 59) {
      return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
    }
  }
  throw new UserError(
    `${value ? `"${value}" is not a time of day` : 'Give a time'}: use 24-hour HH:MM, e.g. \`/papers schedule 09:30 Europe/Berlin weekdays\`.`,
  );
}

function parseSchedule(args: string[]): Command {
  const [time, ...others] = args;
  const parsed: { name: 'schedule'; time: string; timezone?: string; days?: number[] } = {
    name: 'schedule',
    time: parseTime(time),
  };
  for (const arg of others) {
    const days = parseDays(arg);
    if (days) {
      parsed.days = days;
      continue;
    }
    if (parsed.timezone)
      throw new UserError(`I did not understand "${arg}": give the time, a timezone and the days.`);
    parsed.timezone = parseTimezone(arg);
  }
  return parsed;
}

const TIMEZONE_ALIASES: Record<string, string> = {
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
};

function parseTimezone(value: string): string {
  const alias = TIMEZONE_ALIASES[value.toLowerCase()];
  if (alias) return alias;
  if (value.includes('/') && isTimezone(value)) return canonicalTimezone(value);
  const suggestions = suggestTimezones(value);
  throw new UserError(
    `"${value}" is not a timezone I know. Use an IANA name${suggestions.length ? `, such as ${suggestions.join(', ')}` : ' like Europe/Berlin'}.`,
  );
}

/** `daily`, `weekdays`, `weekends` or a list like `mon,wed,fri`; null when the word is no day list. */
export function parseDays(value: string): number[] | null {
  const v = value.toLowerCase();
  if (v === 'daily' || v === 'everyday' || v === 'every-day') return [0, 1, 2, 3, 4, 5, 6];
  if (v === 'weekdays') return [1, 2, 3, 4, 5];
  if (v === 'weekends') return [0, 6];
  const parts = v.split(',').filter(Boolean);
  const days = parts.map(dayIndex);
  if (parts.length === 0 || days.some((d) => d < 0)) {
    if (parts.length > 1) {
      throw new UserError(`"${value}" is not a list of days: use e.g. mon,wed,fri, or daily, or weekdays.`);
    }
    return null;
  }
  return [...new Set(days)].sort();
}

const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `mon`, `tues`, `friday` → 1, 2, 5; -1 when it is no day. */
function dayIndex(word: string): number {
  return word.length >= 3 ? FULL_DAY_NAMES.findIndex((d) => d.startsWith(word)) : -1;
}

function parseSize(value: string): number {
  const size = Number(value);
  if (!value || !Number.isInteger(size) || size < 1 || size > MAX_DIGEST_SIZE) {
    throw new UserError(
      `The digest size must be a whole number from 1 to ${MAX_DIGEST_SIZE}${value ? ` (got "${value}")` : ''}, e.g. \`/papers size 8\`.`,
    );
  }
  return size;
}

/** A followed or muted term: a word or phrase (lower-cased) or an arXiv category `cat:cs.CL`. */
function parseTerm(command: string, value: string): string {
  if (!value) {
    const example = command.endsWith('mute') ? 'survey' : 'diffusion';
    throw new UserError(
      `${command[0]!.toUpperCase()}${command.slice(1)} what? Give a word or a category, e.g. \`/papers ${command} ${example}\` or \`/papers ${command} cat:cs.CL\`.`,
    );
  }
  const category = /^cat:\s*([a-z-]+(?:\.[a-z-]+)?)$/i.exec(value);
  if (category) {
    const [archive = '', sub] = category[1]!.split('.');
    return `cat:${archive.toLowerCase()}${sub ? `.${sub.length <= 2 ? sub.toUpperCase() : sub}` : ''}`;
  }
  const term = value.toLowerCase().replace(/\s+/g, ' ');
  if (term.length > 60) throw new UserError('That is a long topic: keep it under 60 characters.');
  if (!/[\p{L}\p{N}]/u.test(term))
    throw new UserError(`"${value}" has no letters or digits to match papers with.`);
  return term;
}

function parsePick(args: string[]): Command {
  const [first, second] = args;
  if (!first) return { name: 'pick' };
  const lower = first.toLowerCase();
  if (lower === 'on' || lower === 'off') return { name: 'pick-enabled', enabled: lower === 'on' };
  const day = dayIndex(lower);
  if (day < 0) {
    throw new UserError(
      `"${first}" is not a day: use \`/papers pick fri 15:00\` to set when the pick is posted, or \`pick on|off\`.`,
    );
  }
  return { name: 'pick-schedule', day, time: parseTime(second) };
}
