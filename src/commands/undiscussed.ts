import { z } from 'zod';
import { deleteDiscussion } from '../../db/repositories/discussions.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { UserError } from '../domain/errors.js';
import { findPaperId } from '../votes/discussion.js';
import { arg, required } from './arguments.js';
import { defineCommand, publicly } from './define.js';

export const undiscussed = defineCommand({
  id: 'undiscussed',
  words: ['undiscussed'],
  admin: false,
  visibility: 'public',
  summary: 'Undo a wrong "discussed": the paper is a candidate again',
  usage: '<arXiv id>',
  help: 'undo a wrong `discussed`',
  examples: ['undiscussed 2401.12345'],
  options: [
    {
      name: 'paper',
      description: 'arXiv id or link',
      type: 'string',
      required: true,
      maxLength: 200,
      rest: true,
    },
  ],
  args: z.object({
    paper: arg(
      required(
        'Which paper? Give its arXiv id: `/papers undiscussed 2401.12345` (`/papers history` lists them).',
      ),
    ),
  }),
  async run({ deps, invocation }, { paper }) {
    const paperId = await findPaperId(deps.db, paper);
    const title = (await loadPaperViews(deps.db, [paperId])).get(paperId)?.title ?? paperId;
    const removed = await deleteDiscussion(deps.db, invocation.channel, paperId);
    if (!removed) {
      throw new UserError(
        `“${title}” was never marked discussed here, so there is nothing to undo. \`/papers history\` lists what was.`,
      );
    }
    return publicly(
      `“${title}” is no longer marked discussed (it was on ${removed.discussedAt.toISOString().slice(0, 10)}, by ${removed.discussedBy}); it can be picked again.`,
    );
  },
});
