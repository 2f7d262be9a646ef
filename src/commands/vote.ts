import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { UserError } from '../domain/errors.js';
import { castBallotVote, NO_BALLOT, namedSession } from '../sessions/actions.js';
import { arg, optional } from './arguments.js';
import { actionDeps, defineCommand, privately } from './define.js';

function parseChoice(value: string | undefined): number {
  const choice = Number(value);
  if (!value || !Number.isInteger(choice) || choice < 1 || choice > 3) {
    throw new UserError(
      `Vote for one paper of the ballot by its number, 1 to 3, e.g. \`/papers vote 2\`${value ? ` (got "${value}")` : ''}.`,
    );
  }
  return choice;
}

export const vote = defineCommand({
  id: 'vote',
  words: ['vote'],
  admin: false,
  visibility: 'private',
  summary: 'Vote in the ballot for the next session (one vote; vote again to change it)',
  usage: '<1-3>',
  help: "vote in the session's ballot",
  examples: ['vote 2'],
  options: [
    {
      name: 'choice',
      description: "the paper's number on the ballot",
      type: 'integer',
      required: true,
      min: 1,
      max: 3,
    },
    { name: 'session', description: 'which session (from a button)', type: 'string', maxLength: 12 },
  ],
  args: z.object({ choice: arg(parseChoice), session: arg(optional) }),
  async run(ctx, { choice, session: ref }) {
    const deps = actionDeps(ctx);
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    const session = await namedSession(deps.db, channel, ref, deps.now(), {
      create: false,
      missing: NO_BALLOT,
    });
    return privately(await castBallotVote(deps, channel, session, ctx.invocation.user, choice));
  },
});
