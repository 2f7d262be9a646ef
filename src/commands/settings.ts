import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { describeSettings } from '../channels/settings.js';
import { defineCommand, privately } from './define.js';

export const settings = defineCommand({
  id: 'settings',
  words: ['settings'],
  admin: false,
  visibility: 'private',
  summary: "This channel's settings and the next digest",
  usage: '',
  help: "this channel's settings and its next digest",
  examples: ['settings'],
  options: [],
  args: z.object({}),
  async run({ deps, invocation }) {
    const channel = await ensureChannel(deps.db, invocation.channel);
    return privately(describeSettings(channel, deps.clock.now()));
  },
});
