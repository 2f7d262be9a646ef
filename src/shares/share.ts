import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { papers, posts, shares } from '../../db/schema.js';
import type { ChannelRow } from '../channels/channels.js';
import { channelRefOf } from '../channels/channels.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import type { MessageRef, UserRef } from '../domain/types.js';
import { resolvePapers } from '../ingest/resolve-papers.js';
import { loadPaperViews } from '../papers/view.js';
import type { ArxivApi } from '../sources/arxiv-api.js';

/** Finds papers by arXiv id, fetching from arXiv those the library lacks; returns the ids now known. */
export interface PaperResolver {
  resolve(arxivIds: string[]): Promise<string[]>;
}

/** A resolver that only knows the library: used when arXiv lookups are not wired. */
export function libraryResolver(db: Db): PaperResolver {
  return {
    async resolve(ids) {
      if (ids.length === 0) return [];
      const rows = await db.select({ id: papers.id }).from(papers).where(inArray(papers.id, ids));
      const known = new Set(rows.map((r) => r.id));
      return ids.filter((id) => known.has(id));
    },
  };
}

/**
 * A resolver that fetches papers the library lacks from arXiv (and stores them). When arXiv cannot be
 * reached, the library's own papers still resolve.
 */
export function arxivResolver(db: Db, arxiv: Pick<ArxivApi, 'lookup'>, log: Logger): PaperResolver {
  const library = libraryResolver(db);
  return {
    async resolve(ids) {
      try {
        const { papers: found } = await resolvePapers(
          db,
          ids.map((id) => ({ id, version: null })),
          arxiv,
        );
        return found.map((p) => p.id);
      } catch (err) {
        log.warn({ err, ids }, 'arXiv lookup failed; answering from the library');
        return library.resolve(ids);
      }
    },
  };
}

export type ShareOutcome =
  | { status: 'posted'; paperId: string; message: MessageRef }
  | { status: 'already-shared'; paperId: string; firstBy: string | null }
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
  const [recorded] = await db
    .insert(shares)
    .values({
      channelId: channel.id,
      paperId,
      userId: user.id,
      userName: user.name ?? null,
      sourceMessageId: request.sourceMessageId,
    })
    .onConflictDoNothing()
    .returning();
  if (!recorded) return { status: 'redelivered', paperId };

  const [existing] = await db
    .select({ id: posts.id, kind: posts.kind })
    .from(posts)
    .where(and(eq(posts.channelId, channel.id), eq(posts.paperId, paperId)))
    .orderBy(asc(posts.createdAt))
    .limit(1);
  if (existing) {
    const [first] = await db
      .select({ who: shares.userName, id: shares.userId })
      .from(shares)
      .where(and(eq(shares.channelId, channel.id), eq(shares.paperId, paperId)))
      .orderBy(asc(shares.createdAt), asc(shares.id))
      .limit(1);
    await db.update(shares).set({ postId: existing.id }).where(eq(shares.id, recorded.id));
    const firstBy = first && first.id !== user.id ? (first.who ?? first.id) : null;
    return {
      status: 'already-shared',
      paperId,
      firstBy: existing.kind === 'digest' ? 'the digest' : firstBy,
    };
  }

  const paper = (await loadPaperViews(db, [paperId])).get(paperId);
  if (!paper) throw new Error(`shared paper ${paperId} is not in the library`);
  const card = {
    kind: 'paper' as const,
    paper,
    heading: `Shared by ${user.name ?? user.id}`,
    reason: 'React to vote for it as a team read.',
  };
  const message = request.inThread
    ? await adapter.reply(request.inThread, card)
    : await adapter.post(channelRefOf(channel), card);
  const [post] = await db
    .insert(posts)
    .values({
      channelId: channel.id,
      paperId,
      kind: 'share',
      messageId: message.messageId,
      threadId: message.threadId ?? null,
      postedBy: user.id,
    })
    .returning({ id: posts.id });
  if (post) await db.update(shares).set({ postId: post.id }).where(eq(shares.id, recorded.id));
  return { status: 'posted', paperId, message };
}
