import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import type { ChannelRef, LeaderboardEntry, LeaderboardPeriod } from '../core/types.js';
import { loadPaperViews } from '../papers/view.js';

/** The platform workspace (Slack team, Discord guild) whose votes count together. */
export type Workspace = Pick<ChannelRef, 'platform' | 'workspaceId'>;

const PERIOD_DAYS: Record<LeaderboardPeriod, number | null> = { week: 7, month: 30, all: null };

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

/** The most-voted papers of a workspace in a period. */
export async function topPapers(
  db: Db,
  ws: Workspace,
  period: LeaderboardPeriod,
  now: Date,
  limit = 10,
): Promise<LeaderboardEntry[]> {
  const days = PERIOD_DAYS[period];
  const since = days === null ? null : new Date(now.getTime() - days * 86_400_000);
  const rows = await queryRows<{ paper_id: string; votes: number }>(
    db,
    sql`select * from (${scoresSql(ws, since)}) s where votes > 0 order by votes desc, paper_id limit ${limit}`,
  );
  const views = await loadPaperViews(
    db,
    rows.map((r) => r.paper_id),
  );
  return rows.flatMap((r) => {
    const paper = views.get(r.paper_id);
    return paper ? [{ paper, votes: Number(r.votes) }] : [];
  });
}

/** A workspace's current vote count for each of the given papers (absent = 0). */
export async function votesFor(db: Db, ws: Workspace, paperIds: string[]): Promise<Map<string, number>> {
  if (paperIds.length === 0) return new Map();
  const rows = await queryRows<{ paper_id: string; votes: number }>(db, scoresSql(ws, null, paperIds));
  return new Map(rows.map((r) => [r.paper_id, Number(r.votes)]));
}
