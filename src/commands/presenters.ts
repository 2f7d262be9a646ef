import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { UserError } from '../domain/errors.js';
import {
  addToRotation,
  describeRotation,
  removeFromRotation,
  skipPresenter,
  swapPresenters,
} from '../sessions/presenters.js';
import { arg, optional } from './arguments.js';
import { actionDeps, defineCommand, privately, publicly } from './define.js';
import { resolvePeople } from './people.js';

export const presenters = defineCommand({
  id: 'presenters',
  words: ['presenters'],
  aliases: [['presenters', 'list']],
  admin: false,
  visibility: 'private',
  summary: 'Who presents at the next sessions, in turn',
  usage: '',
  help: 'the presenter rotation, next first',
  examples: ['presenters'],
  options: [],
  args: z.object({}),
  async run(ctx) {
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    return privately(await describeRotation(actionDeps(ctx), channel));
  },
});

const ACTIONS = ['add', 'remove', 'skip', 'swap'] as const;
type Action = (typeof ACTIONS)[number];

function parseAction(value: string | undefined): Action {
  const action = ACTIONS.find((a) => a === value?.toLowerCase());
  if (!action) {
    throw new UserError(
      `${value ? `"${value}" is not something I can do with presenters` : 'Say what to do'}: \`/papers presenters add @a @b\`, \`remove @a\`, \`skip\`, \`swap @a @b\`, or \`/papers presenters\` to see them.`,
    );
  }
  return action;
}

export const presentersChange = defineCommand({
  id: 'presenters-change',
  words: ['presenters'],
  admin: true,
  visibility: 'public',
  summary: 'Change the presenter rotation: add, remove, skip the next, swap two',
  usage: 'add|remove @a … | skip | swap @a @b',
  help: 'change the rotation',
  examples: [
    'presenters add @ada @grace',
    'presenters remove @ada',
    'presenters skip',
    'presenters swap @ada @grace',
  ],
  options: [
    {
      name: 'action',
      description: 'add, remove, skip or swap',
      type: 'string',
      required: true,
      choices: ACTIONS,
    },
    { name: 'people', description: 'the people, as @mentions', type: 'string', maxLength: 500, rest: true },
  ],
  args: z.object({ action: arg(parseAction), people: arg(optional) }),
  async run(ctx, { action, people }) {
    const deps = actionDeps(ctx);
    const channel = await ensureChannel(ctx.deps.db, ctx.invocation.channel);
    if (action === 'skip') {
      if (people)
        throw new UserError('`/papers presenters skip` skips the next presenter and takes nothing more.');
      return publicly(await skipPresenter(deps, channel));
    }
    const named = await resolvePeople(
      ctx,
      people,
      `/papers presenters ${action} @ada${action === 'swap' ? ' @grace' : ''}`,
    );
    if (action === 'add') return publicly(await addToRotation(deps, channel, named));
    if (action === 'remove') return publicly(await removeFromRotation(deps, channel, named));
    if (named.length !== 2)
      throw new UserError('Swap exactly two people, e.g. `/papers presenters swap @ada @grace`.');
    return publicly(await swapPresenters(deps, channel, named[0]!, named[1]!));
  },
});
