import type { Db } from '../../db/client.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import { channelRefOf } from '../../db/repositories/channels.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { claimUnfurl, firstPostOf, recordPost } from '../../db/repositories/posts.js';
import { recordShare } from '../../db/repositories/shares.js';
import { votesFor } from '../../db/repositories/votes.js';
import { findArxivIds } from '../domain/arxiv-id.js';
import { votesText } from '../domain/present.js';
import type { LinkCard, UserRef } from '../domain/types.js';
import type { PaperResolver } from './share.js';

/** Links unfolded per message at most (Slack unfurls a few links a message). */
const MOST_LINKS = 5;

export interface LinkCardRequest {
  channel: ChannelRow;
  /** The message the links are in; absent while it is still being written (a composer's preview). */
  messageId?: string;
  /** The thread that message is a reply in. */
  threadId?: string;
  /** Stands for the message in the once-only claim when it has no id yet. */
  claimKey: string;
  user: UserRef;
  links: string[];
}

/**
 * Cards to unfold a message's paper links into (arXiv, alphaXiv, Hugging Face, arXiv DOIs), once per
 * message: a second request for the same message (a redelivery) gets none. A posted message with a link
 * becomes the paper's votable post in the channel when the channel has none yet, so reactions on it and
 * the card's ▲ Vote count; otherwise the card points to where the paper was posted. Links that are no
 * paper are left alone.
 */
export async function linkCards(
  db: Db,
  resolver: PaperResolver,
  request: LinkCardRequest,
): Promise<LinkCard[]> {
  const { channel, user } = request;
  const byUrl = new Map<string, string>();
  for (const url of request.links) {
    const id = findArxivIds(url)[0]?.id;
    if (id && byUrl.size < MOST_LINKS) byUrl.set(url, id);
  }
  if (byUrl.size === 0) return [];
  if (!(await claimUnfurl(db, channel.id, request.claimKey))) return [];
  const known = new Set((await resolver.resolve([...new Set(byUrl.values())])).known);
  const views = await loadPaperViews(db, [...known]);
  const cards: LinkCard[] = [];
  for (const [url, paperId] of byUrl) {
    const paper = views.get(paperId);
    if (!paper) continue;
    let reason: string;
    if (request.messageId) {
      // The message's share is recorded once: when the pasted link was already shared from this message
      // (its card posted in the thread), the card is there and no second one unfolds.
      const recorded = await recordShare(db, {
        channelId: channel.id,
        paperId,
        userId: user.id,
        userName: user.name ?? null,
        sourceMessageId: request.messageId,
      });
      if (!recorded) continue;
    }
    const earlier = await firstPostOf(db, channel.id, paperId);
    if (!earlier && request.messageId) {
      await recordPost(db, {
        channelId: channel.id,
        paperId,
        kind: 'share',
        messageId: request.messageId,
        threadId: request.threadId ?? null,
        postedBy: user.name ?? user.id,
      });
      reason = 'React to this message or press ▲ Vote to vote for it as a team read.';
    } else if (earlier) {
      const votes = (await votesFor(db, channelRefOf(channel), [paperId])).get(paperId) ?? 0;
      reason = `Already posted here (${votesText(votes)}): press ▲ Vote, or react where it was posted.`;
    } else {
      reason = 'Once sent, react to the message or press ▲ Vote to vote for it.';
    }
    cards.push({
      url,
      message: {
        kind: 'paper',
        paper,
        reason,
        buttons: [
          { label: '▲ Vote', command: `upvote ${paperId}`, style: 'primary' },
          { label: 'Save', command: `save ${paperId}` },
        ],
      },
    });
  }
  return cards;
}
