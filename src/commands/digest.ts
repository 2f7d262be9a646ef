import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { runDigest } from '../digest/run.js';
import { localDateIn } from '../domain/time.js';
import { defineCommand, privately } from './define.js';

export const digest = defineCommand({
  id: 'digest',
  words: ['digest'],
  aliases: [['digest', 'now']],
  admin: false,
  visibility: 'private',
  summary: "Post today's trending papers thread in this channel now",
  usage: '',
  help: "post today's trending papers thread now",
  examples: ['digest'],
  options: [],
  args: z.object({}),
  async run({ deps, adapter, invocation }) {
    const channel = await ensureChannel(deps.db, invocation.channel);
    const localDate = localDateIn(channel.timezone, deps.clock.now());
    const outcome = await runDigest(
      { db: deps.db, adapter, instanceId: deps.instanceId, now: () => deps.clock.now() },
      channel,
      localDate,
    );
    switch (outcome.status) {
      case 'posted':
        return privately(`Posted today's digest (${outcome.run.paperIds.length} papers).`);
      case 'already-posted':
        return privately("Today's digest is already in this channel: scroll up to its thread.");
      case 'busy':
        return privately("Today's digest is being posted right now.");
      case 'empty':
        return privately('No new papers to post today: everything in the library has been shown here.');
    }
  },
});
