import { z } from 'zod';
import { discussionHistory } from '../votes/discussion.js';
import { defineCommand, privately } from './define.js';

export const history = defineCommand({
  id: 'history',
  words: ['history'],
  admin: false,
  visibility: 'private',
  summary: 'Past discussions',
  usage: '',
  help: 'papers discussed so far',
  examples: ['history'],
  options: [],
  args: z.object({}),
  async run({ deps, invocation }) {
    const past = await discussionHistory(deps.db, invocation.channel);
    if (past.length === 0)
      return privately('Nothing discussed yet. `/papers discussed` marks the current pick as done.');
    const lines = past.map(
      (d, i) =>
        `${i + 1}. ${d.discussedAt.toISOString().slice(0, 10)} — ${d.paper.title} (${d.votes} ${d.votes === 1 ? 'vote' : 'votes'}, marked by ${d.discussedBy})`,
    );
    return privately(['Discussed papers, newest first:', ...lines].join('\n'));
  },
});
