import type { Db } from '../../db/client.js';
import { writeVote } from '../../db/repositories/votes.js';
import type { ReactionEvent } from '../domain/ports.js';
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
  const active = event.action === 'added';
  const paperId = await writeVote(db, {
    channel: event.message.channel,
    messageId: event.message.messageId,
    userId: event.user.id,
    emoji,
    weight,
    active,
    at: event.at ?? now,
  });
  if (!paperId) return { status: 'ignored', reason: 'unknown-message' };
  return { status: active ? 'counted' : 'withdrawn', paperId };
}
