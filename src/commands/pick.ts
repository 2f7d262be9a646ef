import { z } from 'zod';
import { pickMessage } from '../schedule/channel-events.js';
import { currentPick } from '../votes/discussion.js';
import { defineCommand, privately, publicly } from './define.js';

export const pick = defineCommand({
  id: 'pick',
  words: ['pick'],
  admin: false,
  visibility: 'public',
  summary: 'The current discussion pick',
  usage: '',
  help: 'the next discussion: the top-voted paper not yet discussed',
  examples: ['pick'],
  options: [],
  args: z.object({}),
  async run({ deps, invocation }) {
    const entry = await currentPick(deps.db, invocation.channel, deps.clock.now());
    if (!entry)
      return privately(
        'No pick yet: the most-voted paper not yet discussed becomes the pick. Vote by reacting to a paper.',
      );
    return publicly(pickMessage(entry));
  },
});
