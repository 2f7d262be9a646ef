import { z } from 'zod';
import { markDiscussed } from '../votes/discussion.js';
import { arg, optional } from './arguments.js';
import { defineCommand, publicly } from './define.js';

export const discussed = defineCommand({
  id: 'discussed',
  words: ['discussed'],
  admin: false,
  visibility: 'public',
  summary: 'Mark the pick (or the given paper) as discussed',
  usage: '[arXiv id]',
  help: 'mark the pick (or that paper) as discussed',
  examples: ['discussed', 'discussed 2401.12345'],
  options: [{ name: 'paper', description: 'arXiv id or link', type: 'string', maxLength: 200, rest: true }],
  args: z.object({ paper: arg(optional) }),
  async run({ deps, invocation }, { paper }) {
    const { discussed, next } = await markDiscussed(
      deps.db,
      invocation.channel,
      paper,
      invocation.user,
      deps.clock.now(),
    );
    const after = next
      ? ` Next pick: “${next.paper.title}” (${next.votes} ${next.votes === 1 ? 'vote' : 'votes'}).`
      : '';
    return publicly(`Marked “${discussed.paper.title}” as discussed.${after}`);
  },
});
