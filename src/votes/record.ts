import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { channels, posts, votes } from '../../db/schema.js';
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
  const ref = event.message.channel;
  const active = event.action === 'added';
  const at = (event.at ?? now).toISOString();
  // One round trip: find the post the reaction is on and, if there is one, write the vote.
  const [post] = await queryRows<{ paper_id: string }>(
    db,
    sql`with post as (
          select p.id, p.paper_id from ${posts} p
          join ${channels} c on c.id = p.channel_id
          where c.platform = ${ref.platform} and c.workspace_id = ${ref.workspaceId}
            and c.channel_id = ${ref.channelId} and p.message_id = ${event.message.messageId}
          limit 1
        ), written as (
          insert into ${votes} (post_id, user_id, emoji, weight, active, event_at)
          select post.id, ${event.user.id}, ${emoji}, ${weight}, ${active}, ${at}::timestamptz from post
          on conflict (post_id, user_id, emoji) do update
            set active = excluded.active, event_at = excluded.event_at, weight = excluded.weight
            where votes.event_at <= excluded.event_at
        )
        select paper_id from post`,
  );
  if (!post) return { status: 'ignored', reason: 'unknown-message' };
  return { status: active ? 'counted' : 'withdrawn', paperId: post.paper_id };
}
