import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { UserError } from '../domain/errors.js';
import { skipSession } from '../sessions/actions.js';
import {
  describeNextSession,
  parsePlace,
  type SessionSchedule,
  setSessionSchedule,
  setSessionWhere,
  turnSessionsOff,
} from '../sessions/settings.js';
import { arg, checked, dayIndex, optional, parseTimezone, timeReader } from './arguments.js';
import { actionDeps, defineCommand, privately, publicly } from './define.js';

const EXAMPLE = '/papers session fri 15:00 Europe/Berlin weekly';

export const session = defineCommand({
  id: 'session',
  words: ['session'],
  admin: false,
  visibility: 'private',
  summary: 'The next reading-group session: when, where, who presents',
  usage: '',
  help: 'the next session: when, where, who presents',
  examples: ['session'],
  options: [],
  args: z.object({}),
  async run(ctx) {
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    return privately(await describeNextSession(actionDeps(ctx), channel));
  },
});

type SessionChange = { action: 'off' } | { action: 'skip' } | { action: 'set'; schedule: SessionSchedule };

/** `90m`, `1h`, `1h30` → minutes, 15 to 480. */
function parseLength(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(?:(\d{1,3})\s*(?:m|min|mins)|(\d)\s*h(?:\s*(\d{1,2})\s*(?:m|min)?)?)$/i.exec(value);
  const minutes = match
    ? match[1]
      ? Number(match[1])
      : Number(match[2]) * 60 + Number(match[3] ?? 0)
    : Number.NaN;
  if (!(minutes >= 15 && minutes <= 480)) {
    throw new UserError(
      `"${value}" is not a session length: use minutes or hours from 15m to 8h, e.g. \`90m\` or \`1h30\`.`,
    );
  }
  return minutes;
}

function parseCadence(value: string | undefined): 'weekly' | 'biweekly' | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  if (v === 'weekly') return 'weekly';
  if (v === 'biweekly' || v === 'fortnightly') return 'biweekly';
  throw new UserError(`"${value}" is not how often: say weekly or biweekly.`);
}

function parseBallotDays(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const days = Number(value.replace(/d$/i, ''));
  if (!Number.isInteger(days) || days < 2 || days > 6) {
    throw new UserError(
      `The ballot opens 2 to 6 days before the session (got "${value}"), e.g. \`ballot:3\`.`,
    );
  }
  return days;
}

function sessionChange(values: {
  day: string | undefined;
  time: string | undefined;
  timezone: string | undefined;
  cadence: string | undefined;
  length: string | undefined;
  ballot: string | undefined;
}): SessionChange {
  const day = values.day?.toLowerCase();
  const others = [values.time, values.timezone, values.cadence, values.length, values.ballot].filter(Boolean);
  if ((day === 'off' || day === 'skip') && others.length > 0) {
    throw new UserError(`\`/papers session ${day}\` takes nothing more.`);
  }
  if (day === 'off') return { action: 'off' };
  if (day === 'skip') return { action: 'skip' };
  const index = day ? dayIndex(day) : -1;
  if (index < 0) {
    throw new UserError(
      `"${values.day ?? ''}" is not a day: use e.g. \`${EXAMPLE}\`, or \`/papers session where <link or room>\`, \`session skip\`, \`session off\`.`,
    );
  }
  const schedule: SessionSchedule = {
    day: index,
    time: timeReader(EXAMPLE)(values.time),
    ...(values.timezone ? { timezone: parseTimezone(values.timezone) } : {}),
  };
  const cadence = parseCadence(values.cadence);
  const minutes = parseLength(values.length);
  const ballotDays = parseBallotDays(values.ballot);
  return {
    action: 'set',
    schedule: {
      ...schedule,
      ...(cadence ? { cadence } : {}),
      ...(minutes ? { minutes } : {}),
      ...(ballotDays ? { ballotDays } : {}),
    },
  };
}

export const sessionSet = defineCommand({
  id: 'session-set',
  words: ['session'],
  admin: true,
  visibility: 'public',
  summary: 'When the reading group meets; or skip the next session, or turn sessions off',
  usage: 'fri 15:00 [zone] [biweekly] [90m] | skip | off',
  help: 'when the reading group meets; skip the next; off',
  examples: [
    'session fri 15:00 Europe/Berlin weekly',
    'session tue 10:30 biweekly 90m',
    'session skip',
    'session off',
  ],
  options: [
    {
      name: 'day',
      description: 'a day of the week, or skip (the next session) or off',
      type: 'string',
      required: true,
      choices: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'skip', 'off'],
    },
    { name: 'time', description: 'HH:MM, 24-hour clock (with a day)', type: 'string', maxLength: 7 },
    { name: 'timezone', description: 'e.g. Europe/Berlin', type: 'string', autocomplete: 'timezone' },
    { name: 'cadence', description: 'weekly or biweekly', type: 'string', choices: ['weekly', 'biweekly'] },
    { name: 'length', description: 'how long, e.g. 60m or 1h30', type: 'string', maxLength: 8 },
    {
      name: 'ballot',
      description: 'days before the session the ballot opens (2-6)',
      type: 'integer',
      min: 2,
      max: 6,
    },
  ],
  // Typed, what follows the day may come in any order: each kind of word is told by its form.
  fromText([day, ...others]) {
    const values: Record<string, string> = day ? { day } : {};
    const put = (key: string, word: string) => {
      if (values[key])
        throw new UserError(
          `I did not understand "${word}": give each of day, time, zone, cadence and length once.`,
        );
      values[key] = word;
    };
    for (const word of others) {
      if (/^\d{1,2}(:\d{2})?\s*(am|pm)?$/i.test(word)) put('time', word);
      else if (/^(weekly|biweekly|fortnightly)$/i.test(word)) put('cadence', word);
      else if (/^\d+\s*(m|min|mins|h)(\d+\s*(m|min)?)?$/i.test(word)) put('length', word);
      else if (/^ballot:/i.test(word)) put('ballot', word.slice('ballot:'.length));
      else put('timezone', word);
    }
    return values;
  },
  args: z
    .object({
      day: arg(optional),
      time: arg(optional),
      timezone: arg(optional),
      cadence: arg(optional),
      length: arg(optional),
      ballot: arg(optional),
    })
    .transform(checked(sessionChange)),
  async run(ctx, change) {
    const deps = actionDeps(ctx);
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    if (change.action === 'off') return publicly(await turnSessionsOff(deps, channel));
    if (change.action === 'skip') return publicly(await skipSession(deps, channel));
    return publicly(await setSessionSchedule(deps, channel, change.schedule));
  },
});

export const sessionWhere = defineCommand({
  id: 'session-where',
  words: ['session', 'where'],
  admin: true,
  visibility: 'public',
  summary: 'Where the reading group meets: a link or a room',
  usage: '<link|room>',
  help: 'where sessions meet',
  examples: ['session where https://meet.example.org/journal-club', 'session where Room 3.14'],
  options: [
    {
      name: 'place',
      description: 'a link or a room',
      type: 'string',
      required: true,
      maxLength: 200,
      rest: true,
    },
  ],
  args: z.object({ place: arg(parsePlace) }),
  async run(ctx, { place }) {
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    return publicly(await setSessionWhere(actionDeps(ctx), channel, place));
  },
});
