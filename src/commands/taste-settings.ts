import { z } from 'zod';
import { UserError } from '../domain/errors.js';
import { arg } from './arguments.js';
import { defineCommand } from './define.js';
import { changeSetting } from './setting.js';

/** A whole number from `min` to `max`, or `off` (0). */
function countOrOff(what: string, example: string, min: number, max: number) {
  return (value: string | undefined): number => {
    if (value?.toLowerCase() === 'off') return 0;
    const n = Number(value);
    if (!value || !Number.isInteger(n) || n < min || n > max) {
      throw new UserError(
        `${what} is a whole number from ${min} to ${max}, or off, e.g. \`${example}\`${value ? ` (got "${value}")` : ''}.`,
      );
    }
    return n;
  };
}

export const tasteSlots = defineCommand({
  id: 'taste',
  words: ['taste'],
  admin: true,
  visibility: 'public',
  summary: "How many of a digest's papers the team's taste may choose (default 2)",
  usage: '0-19|off',
  help: "digest places the team's taste may fill",
  examples: ['taste 2', 'taste off'],
  options: [
    { name: 'slots', description: 'papers per digest, or off', type: 'string', required: true, maxLength: 3 },
  ],
  args: z.object({ slots: arg(countOrOff('The number of taste places', '/papers taste 2', 0, 19)) }),
  run: (ctx, { slots }) => changeSetting(ctx, { name: 'taste-slots', slots }),
});

export const alertVotes = defineCommand({
  id: 'alerts',
  words: ['alerts'],
  admin: true,
  visibility: 'public',
  summary: 'Votes a paper needs for its new versions and code to be announced (default 2)',
  usage: '1-20|off',
  help: 'announce new versions and code of voted papers',
  examples: ['alerts 2', 'alerts off'],
  options: [
    { name: 'votes', description: 'votes needed, or off', type: 'string', required: true, maxLength: 3 },
  ],
  args: z.object({ votes: arg(countOrOff('The votes needed', '/papers alerts 2', 1, 20)) }),
  run: (ctx, { votes }) => changeSetting(ctx, { name: 'alert-votes', votes }),
});
