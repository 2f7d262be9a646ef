import { z } from 'zod';
import { UserError } from '../domain/errors.js';
import type { OutboundMessage, SearchHit } from '../domain/types.js';
import { forMe, type SimilarSort, similarPapers } from '../taste/nearby.js';
import { shortTitle } from '../taste/taste.js';
import { findPaperId } from '../votes/discussion.js';
import { arg, required } from './arguments.js';
import { defineCommand } from './define.js';

const SORTS: readonly SimilarSort[] = ['similarity', 'date', 'votes'];

function parseSort(value: string | undefined): SimilarSort {
  const sort = (value ?? 'similarity').toLowerCase().replace(/^sort:/, '');
  const known = SORTS.find((s) => s === sort);
  if (!known)
    throw new UserError(
      `"${value}" is not an order: use \`sort:date\` or \`sort:votes\` (nearest first without).`,
    );
  return known;
}

/** Hits as a page of results, with a Share button each, for doors that show them. */
function hitsMessage(title: string, hits: SearchHit[]): OutboundMessage {
  return {
    kind: 'search-results',
    query: title,
    hits,
    offset: 0,
    total: hits.length,
    buttons: hits.map((hit, i) => ({
      label: `Share ${i + 1}`,
      command: `share ${hit.paper.arxivId ?? hit.paper.id}`,
    })),
  };
}

export const similar = defineCommand({
  id: 'similar',
  words: ['similar'],
  admin: false,
  visibility: 'private',
  summary: 'The 5 papers in the library nearest to one, and the words they share',
  usage: '<arXiv id|link> [sort:date|votes]',
  help: 'the 5 nearest papers in the library, with the words they share',
  examples: ['similar 2606.13392', 'similar https://arxiv.org/abs/2606.13392 sort:votes'],
  options: [
    { name: 'paper', description: 'arXiv id or link', type: 'string', required: true, maxLength: 200 },
    { name: 'sort', description: 'nearest first, or by date or votes', type: 'string', choices: SORTS },
  ],
  fromText(words) {
    const sortAt = words.findIndex((w) => /^sort:/i.test(w));
    const sort = sortAt >= 0 ? words[sortAt] : undefined;
    const paper = words.filter((_, i) => i !== sortAt).join(' ');
    return { ...(paper ? { paper } : {}), ...(sort ? { sort } : {}) };
  },
  args: z.object({
    paper: arg(required('Similar to what? Give an arXiv id or link: `/papers similar 2401.12345`.')),
    sort: arg(parseSort),
  }),
  async run({ deps, invocation }, { paper, sort }) {
    const paperId = await findPaperId(deps.db, paper);
    const { title, hits } = await similarPapers(deps.db, invocation.channel, paperId, sort, deps.clock.now());
    if (hits.length === 0) {
      return {
        message: { kind: 'text', text: `Nothing in the library is close to “${title}” yet.` },
        private: true,
      };
    }
    return { message: hitsMessage(`papers like “${shortTitle(title)}”`, hits), private: true };
  },
});

export const forMeCommand = defineCommand({
  id: 'for-me',
  words: ['for-me'],
  admin: false,
  visibility: 'private',
  summary: 'Your own best matches of the last weeks, learned from your votes (only you see them)',
  usage: '',
  help: 'your best matches of the last weeks, from your votes',
  examples: ['for-me'],
  options: [],
  args: z.object({}),
  async run({ deps, invocation }) {
    const hits = await forMe(deps.db, invocation.channel, invocation.user.id, deps.clock.now());
    if (hits.length === 0) {
      return {
        message: { kind: 'text', text: 'Nothing new in the last 30 days that you have not voted on.' },
        private: true,
      };
    }
    return { message: hitsMessage('papers for you', hits), private: true };
  },
});
