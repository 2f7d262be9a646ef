import { z } from 'zod';
import { UserError } from '../domain/errors.js';
import { arg, optional, parseDays, parseTime, parseTimezone } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting } from './setting.js';

function readDays(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  const days = parseDays(value);
  if (!days)
    throw new UserError(`"${value}" is not a list of days: use e.g. mon,wed,fri, or daily, or weekdays.`);
  return days;
}

export const schedule = defineCommand({
  id: 'schedule',
  words: ['schedule'],
  admin: true,
  visibility: 'public',
  summary: 'When the daily digest is posted',
  usage: '09:30 Europe/Berlin weekdays',
  help: 'time, timezone, days (daily, weekdays, mon,wed,fri); any of them alone changes only it',
  examples: [
    'schedule 09:30',
    'schedule 9am Asia/Kolkata weekdays',
    'schedule weekdays',
    'schedule Asia/Tokyo',
  ],
  options: [
    { name: 'time', description: 'HH:MM, 24-hour clock', type: 'string', maxLength: 7 },
    { name: 'timezone', description: 'e.g. Europe/Berlin', type: 'string', autocomplete: 'timezone' },
    { name: 'days', description: 'daily, weekdays, or days like mon,wed,fri', type: 'string', maxLength: 27 },
  ],
  // Typed, the time (when given) comes first; the timezone and the days may come in either order.
  fromText(words) {
    const [first, ...rest] = words;
    const isTime = first !== undefined && /^\d/.test(first);
    const values: { time?: string; timezone?: string; days?: string } = isTime ? { time: first } : {};
    for (const word of isTime ? rest : words) {
      const days = parseDays(word);
      if (days && values.days)
        throw new UserError(`Give the days once: "${values.days}" and "${word}" are both days.`);
      if (days) values.days = word;
      else if (!values.timezone) values.timezone = word;
      else throw new UserError(`I did not understand "${word}": give the time, a timezone and the days.`);
    }
    return values;
  },
  args: z
    .object({
      time: arg((value) => (optional(value) ? parseTime(value) : undefined)),
      timezone: arg((value) => (optional(value) ? parseTimezone(value!) : undefined)),
      days: arg(readDays),
    })
    .superRefine((v, ctx) => {
      if (!v.time && !v.timezone && !v.days) {
        ctx.addIssue({
          code: 'custom',
          message:
            'Give a time, a timezone or days (any of them alone changes only it), e.g. `/papers schedule 09:30 Europe/Berlin weekdays` or `/papers schedule weekdays`.',
        });
      }
    }),
  run: (ctx, { time, timezone, days }) =>
    changeSetting(ctx, {
      name: 'schedule',
      ...(time ? { time } : {}),
      ...(timezone ? { timezone } : {}),
      ...(days ? { days } : {}),
    }),
});
