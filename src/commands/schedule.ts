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
  help: 'time, timezone, days (daily, weekdays, mon,wed,fri)',
  examples: ['schedule 09:30', 'schedule 9am Asia/Kolkata weekdays'],
  options: [
    { name: 'time', description: 'HH:MM, 24-hour clock', type: 'string', required: true, maxLength: 5 },
    { name: 'timezone', description: 'e.g. Europe/Berlin', type: 'string', autocomplete: 'timezone' },
    { name: 'days', description: 'daily, weekdays, or days like mon,wed,fri', type: 'string', maxLength: 27 },
  ],
  // Typed, the timezone and the days may come in either order.
  fromText([time, ...others]) {
    const values: { time?: string; timezone?: string; days?: string } = { ...(time ? { time } : {}) };
    for (const word of others) {
      const days = parseDays(word);
      if (days && values.days)
        throw new UserError(`Give the days once: "${values.days}" and "${word}" are both days.`);
      if (days) values.days = word;
      else if (!values.timezone) values.timezone = word;
      else throw new UserError(`I did not understand "${word}": give the time, a timezone and the days.`);
    }
    return values;
  },
  args: z.object({
    time: arg(parseTime),
    timezone: arg((value) => (optional(value) ? parseTimezone(value!) : undefined)),
    days: arg(readDays),
  }),
  run: (ctx, { time, timezone, days }) =>
    changeSetting(ctx, {
      name: 'schedule',
      time,
      ...(timezone ? { timezone } : {}),
      ...(days ? { days } : {}),
    }),
});
