import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { UserError } from '../domain/errors.js';
import { answerRsvp, namedSession } from '../sessions/actions.js';
import { arg, optional } from './arguments.js';
import { actionDeps, defineCommand, privately } from './define.js';

const ANSWERS: Record<string, boolean> = { going: true, yes: true, no: false, "can't": false, cant: false };

function parseAnswer(value: string | undefined): boolean {
  const going = value ? ANSWERS[value.toLowerCase()] : undefined;
  if (going === undefined) {
    throw new UserError(
      `Say \`/papers rsvp going\` or \`/papers rsvp no\`${value ? ` (got "${value}")` : ''}.`,
    );
  }
  return going;
}

export const rsvp = defineCommand({
  id: 'rsvp',
  words: ['rsvp'],
  admin: false,
  visibility: 'private',
  summary: 'Say whether you come to the next session',
  usage: 'going|no',
  help: 'whether you come to the next session',
  examples: ['rsvp going', 'rsvp no'],
  options: [
    { name: 'answer', description: 'going or no', type: 'string', required: true, choices: ['going', 'no'] },
    { name: 'session', description: 'which session (from a button)', type: 'string', maxLength: 12 },
  ],
  args: z.object({ answer: arg(parseAnswer), session: arg(optional) }),
  async run(ctx, { answer, session: ref }) {
    const deps = actionDeps(ctx);
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    const session = await namedSession(deps.db, channel, ref, deps.now(), { create: true, missing: '' });
    return privately(await answerRsvp(deps, channel, session, ctx.invocation.user, answer));
  },
});
