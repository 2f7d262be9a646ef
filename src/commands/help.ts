import { z } from 'zod';
import { SEARCH_HELP } from '../search/help.js';
import { arg, optional } from './arguments.js';
import { defineCommand, privately } from './define.js';

export const help = defineCommand({
  id: 'help',
  words: ['help'],
  admin: false,
  visibility: 'private',
  summary: 'How to use the bot',
  usage: '[search]',
  help: 'these commands, or how to write a search',
  examples: ['help', 'help search'],
  options: [{ name: 'topic', description: 'e.g. search', type: 'string', maxLength: 50, rest: true }],
  args: z.object({ topic: arg((value) => optional(value)?.toLowerCase()) }),
  async run({ commands }, { topic }) {
    return privately(topic === 'search' ? SEARCH_HELP : commands.usage());
  },
});
