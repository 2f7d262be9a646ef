import type { Db } from '../../db/client.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import { channelRefOf } from '../../db/repositories/channels.js';
import { knownPaperIds, loadPaperViews } from '../../db/repositories/papers.js';
import { firstPostOf, recordPost } from '../../db/repositories/posts.js';
import { firstSharer, linkShareToPost, recordShare } from '../../db/repositories/shares.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import { cardButtons } from '../domain/present.js';
import type { MessageRef, UserRef } from '../domain/types.js';
import { resolvePapers } from '../ingest/resolve-papers.js';
import type { ArxivApi } from '../sources/arxiv-api.js';

/** The ids a resolver found, and whether arXiv could be asked about the others. */
export interface Resolved {
  known: string[];
  /** arXiv could not be reached (or answered an error): ids not in `known` may still exist. */
  arxivUnreachable: boolean;
}

/** Finds papers by arXiv id, fetching from arXiv those the library lacks. */
export interface PaperResolver {
  resolve(arxivIds: string[]): Promise<Resolved>;
}

/** A resolver that only knows the library: used when arXiv lookups are not wired. */
export function libraryResolver(db: Db): PaperResolver {
  return {
    async resolve(ids) {
      if (ids.length === 0) return { known: [], arxivUnreachable: false };
      const known = await knownPaperIds(db, ids);
      return { known: ids.filter((id) => known.has(id)), arxivUnreachable: false };
    },
  };
}

/**
 * A resolver that fetches papers the library lacks from arXiv (and stores them). When arXiv cannot be
 * reached, the library's own papers still resolve, and the answer says arXiv was not reached.
 */
export function arxivResolver(db: Db, arxiv: Pick<ArxivApi, 'lookup'>, log: Logger): PaperResolver {
  return {
    async resolve(ids) {
      const resolved = await resolvePapers(
        db,
        ids.map((id) => ({ id, version: null })),
        arxiv,
      );
      // The person asking is told in their reply; the log keeps one line, not a stack.
      if (resolved.arxivError) log.info({ ids, reason: resolved.arxivError }, 'arXiv lookup failed');
      return { known: resolved.papers.map((p) => p.id), arxivUnreachable: resolved.unreachable.length > 0 };
    },
  };
}

export type ShareOutcome =
  | { status: 'posted'; paperId: string; message: MessageRef }
  | { status: 'already-shared'; paperId: string; firstBy: string | null; where: MessageRef }
  | { status: 'redelivered'; paperId: string };

export interface ShareRequest {
  channel: ChannelRow;
  user: UserRef;
  /** The user's message (or command) that shared it; the same id twice is one share. */
  sourceMessageId: string;
  paperId: string;
  /** Reply in this thread (the user's own message) instead of posting at the top of the channel. */
  inThread?: MessageRef;
}

/**
 * Records a share and answers it with a votable card. The first share of a paper in a channel gets the
 * card; later shares point to the message people already vote on (a share card or a digest reply).
 */
export async function sharePaper(db: Db, adapter: ChatAdapter, request: ShareRequest): Promise<ShareOutcome> {
  const { channel, user, paperId } = request;
  const recorded = await recordShare(db, {
    channelId: channel.id,
    paperId,
    userId: user.id,
    userName: user.name ?? null,
    sourceMessageId: request.sourceMessageId,
  });
  if (!recorded) return { status: 'redelivered', paperId };

  const existing = await firstPostOf(db, channel.id, paperId);
  if (existing) {
    const first = await firstSharer(db, channel.id, paperId);
    await linkShareToPost(db, recorded.id, existing.id);
    const firstBy = first && first.userId !== user.id ? (first.userName ?? first.userId) : null;
    return {
      status: 'already-shared',
      paperId,
      firstBy: existing.kind === 'digest' ? 'the digest' : firstBy,
      where: {
        channel: channelRefOf(channel),
        messageId: existing.messageId,
        ...(existing.threadId ? { threadId: existing.threadId } : {}),
      },
    };
  }

  const paper = (await loadPaperViews(db, [paperId])).get(paperId);
  if (!paper) throw new Error(`shared paper ${paperId} is not in the library`);
  const card = {
    kind: 'paper' as const,
    paper,
    heading: `Shared by ${user.name ?? user.id}`,
    reason:
      channel.voteWith === 'buttons'
        ? 'Press ▲ Vote to vote for it as a team read.'
        : 'React to vote for it as a team read.',
    buttons: cardButtons(paperId, channel.voteWith),
  };
  const message = request.inThread
    ? await adapter.reply(request.inThread, card)
    : await adapter.post(channelRefOf(channel), card);
  const post = await recordPost(db, {
    channelId: channel.id,
    paperId,
    kind: 'share',
    messageId: message.messageId,
    threadId: message.threadId ?? null,
    postedBy: user.id,
  });
  if (post) await linkShareToPost(db, recorded.id, post.id);
  return { status: 'posted', paperId, message };
}
