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
  usage: '[search|<command>]',
  help: 'these commands, how to write a search, or one command',
  examples: ['help', 'help search', 'help schedule'],
  options: [{ name: 'topic', description: 'e.g. search', type: 'string', maxLength: 50, rest: true }],
  args: z.object({ topic: arg((value) => optional(value)?.toLowerCase()) }),
  async run({ commands }, { topic }) {
    if (topic === 'search') return privately(SEARCH_HELP);
    return privately((topic && commands.helpOn(topic)) || commands.usage());
  },
});
