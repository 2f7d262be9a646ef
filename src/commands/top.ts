import { z } from 'zod';
import { UserError } from '../domain/errors.js';
import type { LeaderboardPeriod } from '../domain/types.js';
import { topPapers } from '../votes/leaderboard.js';
import { arg } from './arguments.js';
import { defineCommand, publicly } from './define.js';

const PERIODS: readonly LeaderboardPeriod[] = ['week', 'month', 'all'];

function parsePeriod(value: string | undefined): LeaderboardPeriod {
  const period = PERIODS.find((p) => p === (value ?? 'week').toLowerCase());
  if (!period)
    throw new UserError(`"${value}" is not a period. Try \`/papers top week\`, \`month\` or \`all\`.`);
  return period;
}

export const top = defineCommand({
  id: 'top',
  words: ['top'],
  admin: false,
  visibility: 'public',
  summary: 'The most-voted papers',
  usage: '[week|month|all]',
  help: 'the most-voted papers (default: week)',
  examples: ['top', 'top month'],
  options: [{ name: 'period', description: 'default: week', type: 'string', choices: PERIODS }],
  args: z.object({ period: arg(parsePeriod) }),
  async run({ deps, invocation }, { period }) {
    const entries = await topPapers(deps.db, invocation.channel, period, deps.clock.now());
    if (entries.length === 0) {
      const when = period === 'all' ? 'yet' : `this ${period}`;
      return publicly(`No votes ${when}. React to a paper the bot posted to vote for it.`);
    }
    return publicly({ kind: 'leaderboard', period, entries });
  },
});
