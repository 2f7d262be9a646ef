import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { describeSettings } from '../channels/settings.js';
import { describePlan, planOf } from '../sessions/plan.js';
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
    const plan = planOf(channel);
    const sessions = `• Reading-group sessions: ${plan ? `${describePlan(plan)} (\`/papers session\`)` : 'off'}`;
    return privately(`${describeSettings(channel, deps.clock.now())}\n${sessions}`);
  },
});
