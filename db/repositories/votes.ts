import { inArray, sql } from 'drizzle-orm';
import type { Workspace } from '../../src/domain/types.js';
import { type Db, queryRows } from '../client.js';
import { channels, posts, votes } from '../schema.js';

/** One reaction on a message, as a vote to record or take back. */
export interface VoteWrite {
  channel: { platform: string; workspaceId: string; channelId: string };
  messageId: string;
  userId: string;
  emoji: string;
  weight: number;
  active: boolean;
  at: Date;
}

/**
 * Writes a vote on the bot's post of a paper, in one round trip that finds the post and writes the row;
 * the paper's id, or undefined when the message is no paper the bot posted. Each (post, user, emoji) has
 * one row whose newest event wins, so redeliveries and out-of-order events end in the right state.
 */
export async function writeVote(db: Db, vote: VoteWrite): Promise<string | undefined> {
  const ref = vote.channel;
  const [post] = await queryRows<{ paper_id: string }>(
    db,
    sql`with post as (
          select p.id, p.paper_id from ${posts} p
          join ${channels} c on c.id = p.channel_id
          where c.platform = ${ref.platform} and c.workspace_id = ${ref.workspaceId}
            and c.channel_id = ${ref.channelId} and p.message_id = ${vote.messageId}
          limit 1
        ), written as (
          insert into ${votes} (post_id, user_id, emoji, weight, active, event_at)
          select post.id, ${vote.userId}, ${vote.emoji}, ${vote.weight}, ${vote.active},
            ${vote.at.toISOString()}::timestamptz from post
          on conflict (post_id, user_id, emoji) do update
            set active = excluded.active, event_at = excluded.event_at, weight = excluded.weight
            where votes.event_at <= excluded.event_at
        )
        select paper_id from post`,
  );
  return post?.paper_id;
}

/** The emoji a Vote button's press is recorded under, beside the person's reactions. */
export const BUTTON_VOTE = 'button';

/**
 * Turns a person's Vote-button vote on a post on, or off when it was on; returns whether it is on now. A
 * button vote counts like a reaction: once per person and paper, whatever else they did.
 */
export async function toggleButtonVote(db: Db, postId: number, userId: string, at: Date): Promise<boolean> {
  const [row] = await queryRows<{ active: boolean }>(
    db,
    sql`insert into ${votes} (post_id, user_id, emoji, weight, active, event_at)
        values (${postId}, ${userId}, ${BUTTON_VOTE}, 1, true, ${at.toISOString()}::timestamptz)
        on conflict (post_id, user_id, emoji) do update
          set active = not votes.active, event_at = excluded.event_at
        returning active`,
  );
  return row?.active === true;
}

/**
 * Each user counts once per paper in a workspace, whatever they reacted with and wherever the paper was
 * posted: their vote is the sign of their active reactions' weights.
 */
function scoresSql(ws: Workspace, since: Date | null, paperIds?: string[]) {
  const sinceClause = since ? sql`and v.event_at >= ${since.toISOString()}::timestamptz` : sql``;
  const paperClause =
    paperIds && paperIds.length > 0
      ? sql`and p.paper_id in (${sql.join(
          paperIds.map((id) => sql`${id}`),
          sql`, `,
        )})`
      : sql``;
  return sql`
    select paper_id, sum(vote)::int as votes
    from (
      select p.paper_id, v.user_id, sign(sum(v.weight)) as vote
      from votes v
      join posts p on p.id = v.post_id
      join channels c on c.id = p.channel_id
      where v.active and c.platform = ${ws.platform} and c.workspace_id = ${ws.workspaceId}
        ${sinceClause} ${paperClause}
      group by p.paper_id, v.user_id
    ) per_user
    group by paper_id`;
}

/** The papers with most votes since a time (all time: null), most first, optionally not yet discussed. */
export async function topScores(
  db: Db,
  ws: Workspace,
  since: Date | null,
  options: { limit: number; excludeDiscussed: boolean },
): Promise<{ paperId: string; votes: number }[]> {
  const notDiscussed = options.excludeDiscussed
    ? sql`and not exists (select 1 from discussions d where d.platform = ${ws.platform}
        and d.workspace_id = ${ws.workspaceId} and d.paper_id = s.paper_id)`
    : sql``;
  const rows = await queryRows<{ paper_id: string; votes: number }>(
    db,
    sql`select * from (${scoresSql(ws, since)}) s where votes > 0 ${notDiscussed}
        order by votes desc, paper_id limit ${options.limit}`,
  );
  return rows.map((r) => ({ paperId: r.paper_id, votes: Number(r.votes) }));
}

/** A workspace's current vote count for each of the given papers (absent = 0). */
export async function votesFor(db: Db, ws: Workspace, paperIds: string[]): Promise<Map<string, number>> {
  if (paperIds.length === 0) return new Map();
  const rows = await queryRows<{ paper_id: string; votes: number }>(db, scoresSql(ws, null, paperIds));
  return new Map(rows.map((r) => [r.paper_id, Number(r.votes)]));
}

export type VoteRow = typeof votes.$inferSelect;

/**
 * Writes a vote row as a backup holds it; an existing row keeps whichever event is newer. True when the
 * row was written (new, or newer than the one held).
 */
export async function restoreVote(db: Db, vote: typeof votes.$inferInsert): Promise<boolean> {
  const written = await db
    .insert(votes)
    .values(vote)
    .onConflictDoUpdate({
      target: [votes.postId, votes.userId, votes.emoji],
      set: { active: vote.active, eventAt: vote.eventAt, weight: vote.weight },
      setWhere: sql`${votes.eventAt} < excluded.event_at`,
    })
    .returning({ postId: votes.postId });
  return written.length > 0;
}

/** Every vote, active or taken back, on these posts. */
export async function votesOnPosts(db: Db, postIds: number[]): Promise<VoteRow[]> {
  if (postIds.length === 0) return [];
  return db.select().from(votes).where(inArray(votes.postId, postIds));
}

/** The papers a person voted for (on balance) since the start of this week (Monday, UTC), newest first. */
export async function votedThisWeek(db: Db, ws: Workspace, userId: string, now: Date): Promise<string[]> {
  const day = (now.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day));
  const rows = await queryRows<{ paper_id: string }>(
    db,
    sql`select p.paper_id from votes v
        join posts p on p.id = v.post_id
        join channels c on c.id = p.channel_id
        where v.active and v.user_id = ${userId} and c.platform = ${ws.platform}
          and c.workspace_id = ${ws.workspaceId} and v.event_at >= ${monday.toISOString()}::timestamptz
        group by p.paper_id having sum(v.weight) > 0
        order by max(v.event_at) desc`,
  );
  return rows.map((r) => r.paper_id);
}
