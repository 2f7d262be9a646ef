import { z } from 'zod';
import { findChannel } from '../../db/repositories/channels.js';
import { setWeeklyReadingList, weeklyReadingListOn } from '../../db/repositories/reading-list.js';
import { UserError } from '../domain/errors.js';
import type { VoteWith } from '../domain/present.js';
import type { OutboundMessage } from '../domain/types.js';
import { votesRecorded } from '../ops/metrics.js';
import { readingList, save, savedAgo, unsave } from '../reading/reading-list.js';
import { toggleVote } from '../votes/button-vote.js';
import { findPaperId } from '../votes/discussion.js';
import { arg, onOff, required } from './arguments.js';
import { defineCommand, privately } from './define.js';
import { changeSetting, STATE_OPTION } from './setting.js';

const WAYS: readonly VoteWith[] = ['reactions', 'buttons', 'both'];

function readWay(value: string | undefined): VoteWith {
  const way = WAYS.find((w) => w === value?.toLowerCase());
  if (!way) {
    throw new UserError(
      `Say reactions, buttons or both, e.g. \`/papers vote-with both\`${value ? ` (got "${value}")` : ''}.`,
    );
  }
  return way;
}

const PAPER_OPTION = {
  name: 'paper',
  description: 'arXiv id or link',
  type: 'string',
  required: true,
  maxLength: 200,
} as const;

export const saveCommand = defineCommand({
  id: 'save',
  words: ['save'],
  admin: false,
  visibility: 'private',
  summary: 'Put a paper on your reading list (only you see it)',
  usage: '<arXiv id|link>',
  help: 'add a paper to your reading list',
  examples: ['save 2606.13392'],
  options: [PAPER_OPTION],
  args: z.object({ paper: arg(required('Save what? Give an arXiv id or link: `/papers save 2401.12345`.')) }),
  async run({ deps, invocation }, { paper }) {
    const paperId = await findPaperId(deps.db, paper);
    return privately(await save(deps.db, invocation.channel, invocation.user.id, paperId, deps.clock.now()));
  },
});

export const unsaveCommand = defineCommand({
  id: 'unsave',
  words: ['unsave'],
  admin: false,
  visibility: 'private',
  summary: 'Take a paper off your reading list',
  usage: '<arXiv id|link>',
  help: 'take a paper off your reading list',
  examples: ['unsave 2606.13392'],
  options: [PAPER_OPTION],
  args: z.object({
    paper: arg(
      required('Unsave what? Give the arXiv id: `/papers unsave 2401.12345` (`/papers saved` lists them).'),
    ),
  }),
  async run({ deps, invocation }, { paper }) {
    const paperId = await findPaperId(deps.db, paper);
    return privately(await unsave(deps.db, invocation.channel, invocation.user.id, paperId));
  },
});

export const savedCommand = defineCommand({
  id: 'saved',
  words: ['saved'],
  admin: false,
  visibility: 'private',
  summary: 'Your reading list, oldest first (only you see it)',
  usage: '',
  help: 'your reading list',
  examples: ['saved'],
  options: [],
  args: z.object({}),
  async run({ deps, invocation }) {
    const now = deps.clock.now();
    const list = await readingList(deps.db, invocation.channel, invocation.user.id);
    if (list.length === 0) {
      return privately(
        'Your reading list is empty: press Save under a paper the bot posts, or `/papers save <arXiv id>`.',
      );
    }
    const weekly = await weeklyReadingListOn(deps.db, invocation.channel, invocation.user.id);
    const shown = list.slice(0, 10);
    const message: OutboundMessage = {
      kind: 'search-results',
      query: 'your reading list',
      hits: shown.map(({ paper, savedAt }) => ({
        paper,
        score: 0,
        teamVotes: 0,
        sharedBy: [],
        discussed: false,
        why: savedAgo(savedAt, now),
      })),
      offset: 0,
      total: list.length,
      hint: weekly
        ? 'A direct message on Mondays lists what is still here (`/papers saved weekly off` stops it).'
        : 'Weekly messages are off (`/papers saved weekly on`).',
      buttons: shown.map(({ paper }, i) => ({
        label: `Read ${i + 1}`,
        command: `unsave ${paper.arxivId ?? paper.id}`,
      })),
    };
    return { message, private: true };
  },
});

export const savedWeekly = defineCommand({
  id: 'saved-weekly',
  words: ['saved', 'weekly'],
  admin: false,
  visibility: 'private',
  summary: 'Whether a direct message on Mondays lists your unread saved papers (default on)',
  usage: 'on|off',
  help: 'the weekly message of your reading list',
  examples: ['saved weekly off'],
  options: [STATE_OPTION],
  args: z.object({ state: arg(onOff('/papers saved weekly off')) }),
  async run({ deps, invocation }, { state }) {
    await setWeeklyReadingList(deps.db, invocation.channel, invocation.user.id, state);
    return privately(
      state
        ? 'On Mondays you will get a direct message with the papers still on your reading list.'
        : 'No more weekly messages of your reading list (`/papers saved` still shows it).',
    );
  },
});

export const upvote = defineCommand({
  id: 'upvote',
  words: ['upvote'],
  admin: false,
  visibility: 'private',
  summary: 'Vote for a paper posted here, as a reaction would (again: take it back)',
  usage: '<arXiv id|link>',
  help: 'vote for a paper posted in this channel',
  examples: ['upvote 2606.13392'],
  options: [PAPER_OPTION],
  args: z.object({ paper: arg(required('Vote for what? Give the arXiv id: `/papers upvote 2401.12345`.')) }),
  async run({ deps, invocation }, { paper }) {
    const paperId = await findPaperId(deps.db, paper);
    const channel = await findChannel(deps.db, invocation.channel);
    const outcome = await toggleVote(deps.db, channel, invocation.user, paperId, deps.clock.now());
    votesRecorded.inc({ outcome: outcome.on ? 'counted' : 'withdrawn' });
    return privately(outcome.text);
  },
});

export const voteWith = defineCommand({
  id: 'vote-with',
  words: ['vote-with'],
  admin: true,
  visibility: 'public',
  summary: 'How people vote on papers posted here: reactions (default), a ▲ Vote button, or both',
  usage: 'reactions|buttons|both',
  help: 'vote with reactions, buttons or both',
  examples: ['vote-with both'],
  options: [
    { name: 'way', description: 'reactions, buttons or both', type: 'string', required: true, choices: WAYS },
  ],
  args: z.object({ way: arg(readWay) }),
  run: (ctx, { way }) => changeSetting(ctx, { name: 'vote-with', way }),
});
