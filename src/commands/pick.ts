import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { upcomingSessions } from '../../db/repositories/sessions.js';
import { pickMessage } from '../schedule/channel-events.js';
import { choosePaper } from '../sessions/actions.js';
import { pickContent } from '../sessions/pick.js';
import { currentPick } from '../votes/discussion.js';
import { arg, paperReader } from './arguments.js';
import { actionDeps, defineCommand, privately, publicly } from './define.js';

export const pick = defineCommand({
  id: 'pick',
  words: ['pick'],
  admin: false,
  visibility: 'public',
  summary: 'The current discussion pick; the presenter (or an admin) may choose it',
  usage: '[arXiv id]',
  help: 'the next discussion; the presenter may choose it',
  examples: ['pick', 'pick 2401.12345'],
  options: [
    {
      name: 'paper',
      description: 'arXiv id or link (presenter or admin)',
      type: 'string',
      maxLength: 200,
      rest: true,
    },
  ],
  args: z.object({ paper: arg(paperReader('/papers pick 2401.12345')) }),
  async run(ctx, { paper }) {
    const { deps, invocation } = ctx;
    const channel = await ensureChannel(deps.db, invocation.channel);
    const now = deps.clock.now();
    if (paper) return publicly(await choosePaper(actionDeps(ctx), channel, invocation.user, paper));
    const [next] = (await upcomingSessions(deps.db, channel.id, now)).filter(
      (s) => s.status === 'planned' && s.paperId,
    );
    if (channel.sessionEnabled && next) return publicly(await pickContent(deps.db, channel, next));
    const entry = await currentPick(deps.db, invocation.channel, now);
    if (!entry)
      return privately(
        'No pick yet: the most-voted paper not yet discussed becomes the pick. Vote by reacting to a paper.',
      );
    return publicly(pickMessage(entry));
  },
});
