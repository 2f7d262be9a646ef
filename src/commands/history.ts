import { z } from 'zod';
import { sessionFacts } from '../sessions/history.js';
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
    const facts = await sessionFacts(
      deps.db,
      invocation.channel,
      past.map((d) => d.paper.id),
    );
    const lines = past.map((d, i) => {
      const votes = `${d.votes} ${d.votes === 1 ? 'vote' : 'votes'}`;
      const how = facts.get(d.paper.id) ?? `marked by ${d.discussedBy}`;
      return `${i + 1}. ${d.discussedAt.toISOString().slice(0, 10)} — ${d.paper.title} (${votes}, ${how})`;
    });
    return privately(['Discussed papers, newest first:', ...lines].join('\n'));
  },
});
