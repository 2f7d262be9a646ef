import { UserError } from './errors.js';
import type { LeaderboardPeriod } from './types.js';

/** A command typed after `/papers`, parsed once for every platform. */
export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'search'; query: string }
  | { name: 'top'; period: LeaderboardPeriod }
  | { name: 'digest' };

const PERIODS: readonly LeaderboardPeriod[] = ['week', 'month', 'all'];

export const USAGE = [
  'Usage: /papers <command>',
  '  /papers search <words>     find papers (only you see the results; /papers help search)',
  '  /papers top [week|month|all]  the most-voted papers (default: week)',
  "  /papers digest             post today's trending papers thread now",
  '  /papers help               this message',
  'React to a paper the bot posted (👍 🔥 🚀 ❤️ ⬆️) to vote for it; remove the reaction to take it back.',
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
      if (!isPeriod(period)) {
        throw new UserError(`"${rest[0]}" is not a period. Try \`/papers top week\`, \`month\` or \`all\`.`);
      }
      return { name: 'top', period };
    }
    case 'digest':
      if (args) throw new UserError(`\`/papers digest\` takes nothing after it (got "${args}").`);
      return { name: 'digest' };
    default:
      throw new UserError(`I don't know "/papers ${head}".\n${USAGE}`);
  }
}

function isPeriod(value: string): value is LeaderboardPeriod {
  return (PERIODS as readonly string[]).includes(value);
}
