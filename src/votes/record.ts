import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channels, posts, votes } from '../../db/schema.js';
import type { ReactionEvent } from '../core/ports.js';
import { canonicalEmoji, type EmojiWeights } from './emoji.js';

export type ReactionOutcome =
  | { status: 'counted' | 'withdrawn'; paperId: string }
  | { status: 'ignored'; reason: 'bot' | 'not-a-vote' | 'unknown-message' };

/**
 * Records a reaction on one of the bot's paper posts as a vote, or takes it back. Idempotent and
 * order-proof: each (post, user, emoji) has one row whose newest event wins, so redeliveries, double
 * clicks and a removal that arrives before its add all end in the right count.
 */
export async function recordReaction(
  db: Db,
  event: ReactionEvent,
  weights: EmojiWeights,
  now: Date,
): Promise<ReactionOutcome> {
  if (event.byBot) return { status: 'ignored', reason: 'bot' };
  const emoji = canonicalEmoji(event.emoji);
  const weight = weights.get(emoji);
  if (weight === undefined) return { status: 'ignored', reason: 'not-a-vote' };
  const ref = event.message.channel;
  const [post] = await db
    .select({ id: posts.id, paperId: posts.paperId })
    .from(posts)
    .innerJoin(channels, eq(channels.id, posts.channelId))
    .where(
      and(
        eq(channels.platform, ref.platform),
        eq(channels.workspaceId, ref.workspaceId),
        eq(channels.channelId, ref.channelId),
        eq(posts.messageId, event.message.messageId),
      ),
    )
    .limit(1);
  if (!post) return { status: 'ignored', reason: 'unknown-message' };
  const active = event.action === 'added';
  const at = event.at ?? now;
  await db
    .insert(votes)
    .values({ postId: post.id, userId: event.user.id, emoji, weight, active, eventAt: at })
    .onConflictDoUpdate({
      target: [votes.postId, votes.userId, votes.emoji],
      set: { active, eventAt: at, weight },
      setWhere: sql`${votes.eventAt} <= excluded.event_at`,
    });
  return { status: active ? 'counted' : 'withdrawn', paperId: post.paperId };
}
