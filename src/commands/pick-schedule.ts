import { z } from 'zod';
import type { SettingChange } from '../channels/settings.js';
import { UserError } from '../domain/errors.js';
import { arg, checked, dayIndex, optional, timeReader } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting } from './setting.js';

function pickSetting(day: string | undefined, time: string | undefined): SettingChange {
  const lower = day?.toLowerCase();
  if (lower === 'on' || lower === 'off') return { name: 'pick-enabled', enabled: lower === 'on' };
  const index = day ? dayIndex(day) : -1;
  if (index < 0) {
    throw new UserError(
      `"${day ?? ''}" is not a day: use \`/papers pick fri 15:00\` to set when the pick is posted, or \`pick on|off\`.`,
    );
  }
  return { name: 'pick-schedule', day: index, time: timeReader('/papers pick fri 15:00')(time) };
}

export const pickSchedule = defineCommand({
  id: 'pick-schedule',
  words: ['pick'],
  admin: true,
  visibility: 'public',
  summary: 'When the discussion pick is posted, or turn it on or off',
  usage: 'fri 15:00 | on|off',
  help: 'when the discussion pick is posted',
  examples: ['pick fri 15:00', 'pick off'],
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
  args: z
    .object({ day: arg(optional), time: arg(optional) })
    .transform(checked(({ day, time }) => pickSetting(day, time))),
  run: changeSetting,
});
