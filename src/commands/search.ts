import { z } from 'zod';
import { searchSeconds } from '../ops/metrics.js';
import { searchResultsMessage } from '../search/present.js';
import { searchPapers } from '../search/search.js';
import { arg, required } from './arguments.js';
import { defineCommand } from './define.js';

export const search = defineCommand({
  id: 'search',
  words: ['search'],
  aliases: [['s']],
  admin: false,
  visibility: 'private',
  summary: 'Find papers (only you see the results)',
  usage: '<words>',
  help: 'find papers, only you see the results (/papers help search)',
  examples: ['search kv cache compression', 'search author:"yann lecun" since:2025 sort:date'],
  options: [
    {
      name: 'query',
      description: 'words, "a phrase", -word, author:, cat:, since:, before:, sort:',
      type: 'string',
      required: true,
      maxLength: 200,
      rest: true,
    },
  ],
  args: z.object({
    query: arg(required('What should I search for? Try `/papers search kv cache compression`.')),
  }),
  async run({ deps, invocation }, { query }) {
    const timer = searchSeconds.startTimer();
    const result = await searchPapers(deps.db, query, {
      pageSize: deps.searchPageSize,
      workspace: invocation.channel,
      now: deps.clock.now(),
    }).finally(timer);
    return { message: searchResultsMessage(query, result, deps.searchPageSize), private: true };
  },
});
