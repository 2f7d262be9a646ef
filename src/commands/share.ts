import { z } from 'zod';
import { ensureChannel } from '../../db/repositories/channels.js';
import { paperExists } from '../../db/repositories/papers.js';
import { findArxivIds, parseArxivId } from '../domain/arxiv-id.js';
import { UserError } from '../domain/errors.js';
import { sharePaper } from '../shares/share.js';
import { arg } from './arguments.js';
import { defineCommand, privately } from './define.js';

export const share = defineCommand({
  id: 'share',
  words: ['share'],
  admin: false,
  visibility: 'private',
  summary: 'Post a votable card for a paper',
  usage: '<arXiv id|link>',
  help: 'post a paper for the team to vote on',
  examples: ['share 2401.12345', 'share https://arxiv.org/abs/2401.12345'],
  options: [
    {
      name: 'paper',
      description: 'arXiv id or link',
      type: 'string',
      required: true,
      maxLength: 200,
      rest: true,
    },
  ],
  messageMenu: {
    name: 'Share paper',
    description: 'Post a votable card for the paper this message links to, in its thread',
  },
  args: z.object({ paper: arg((value) => value) }),
  async run({ deps, adapter, invocation }, { paper: target }) {
    // From a message's menu: the papers its text links to, carded in its thread.
    const chosen = invocation.target;
    if (!target && !chosen) {
      throw new UserError('Share what? Give an arXiv id or link: `/papers share 2401.12345`.');
    }
    const ids = findArxivIds(target ?? '').map((id) => id.id);
    const bare = chosen ? undefined : parseArxivId(target ?? '')?.id;
    const wanted = ids.length ? ids : bare ? [bare] : [];
    // A paper of the library without an arXiv id (added from a file) is shared by its library id, as the
    // Share buttons under search results give it.
    const local = !chosen && wanted.length === 0 && target && (await paperExists(deps.db, target.trim()));
    if (local) wanted.push(target.trim());
    if (wanted.length === 0) {
      throw new UserError(
        chosen
          ? 'That message has no arXiv, alphaXiv, Hugging Face or arXiv DOI link, so there is no paper to share. Share a message with a link such as https://arxiv.org/abs/2401.12345.'
          : `"${target}" is not an arXiv id or paper link. Try \`/papers share 2401.12345\` or a link such as https://arxiv.org/abs/2401.12345.`,
      );
    }
    const { known, arxivUnreachable } = local
      ? { known: wanted, arxivUnreachable: false }
      : await deps.resolver.resolve(wanted);
    const missing = wanted.filter((id) => !known.includes(id));
    const notFound = arxivUnreachable
      ? `arXiv could not be reached just now, so I couldn't look up ${missing.join(', ')}: try again in a few minutes.`
      : `I couldn't find ${missing.join(', ')} in the library or on arXiv.`;
    if (known.length === 0) throw new UserError(notFound);
    const channel = await ensureChannel(deps.db, invocation.channel);
    const lines: string[] = [];
    for (const paperId of known) {
      const outcome = await sharePaper(deps.db, adapter, {
        channel,
        user: invocation.user,
        sourceMessageId: chosen ? chosen.messageId : `command:${invocation.ref.id}`,
        paperId,
        ...(chosen ? { inThread: chosen } : {}),
      });
      if (outcome.status === 'posted')
        lines.push(`Shared ${paperId}${chosen ? ' in that message’s thread' : ''}.`);
      else if (outcome.status === 'redelivered')
        lines.push(`${paperId} was already shared from that message.`);
      else if (outcome.status === 'already-shared') {
        const link = await adapter.messageLink?.(outcome.where).catch(() => undefined);
        lines.push(
          `${paperId} is already here${outcome.firstBy ? ` (shared by ${outcome.firstBy})` : ''}: vote on that message${link ? ` (${link})` : ''}.`,
        );
      }
    }
    if (missing.length) lines.push(notFound);
    return privately(lines.join('\n'));
  },
});
