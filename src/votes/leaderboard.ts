import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import type { ChannelRef, LeaderboardEntry, LeaderboardPeriod } from '../domain/types.js';
import { loadPaperViews } from '../papers/view.js';

/** The platform workspace (Slack team, Discord guild) whose votes count together. */
export type Workspace = Pick<ChannelRef, 'platform' | 'workspaceId'>;

const PERIOD_DAYS: Record<LeaderboardPeriod, number | null> = { week: 7, month: 30, all: null };

/**
 * Each user counts once per paper in a workspace, whatever they reacted with and wherever the paper was
 * posted: their vote is the sign of their active reactions' weights.
 */
export function scoresSql(ws: Workspace, since: Date | null, paperIds?: string[]) {
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
  options: { limit?: number; excludeDiscussed?: boolean } = {},
): Promise<LeaderboardEntry[]> {
  const since = periodStart(period, now);
  const notDiscussed = options.excludeDiscussed
    ? sql`and not exists (select 1 from discussions d where d.platform = ${ws.platform}
        and d.workspace_id = ${ws.workspaceId} and d.paper_id = s.paper_id)`
    : sql``;
  const rows = await queryRows<{ paper_id: string; votes: number }>(
    db,
    sql`select * from (${scoresSql(ws, since)}) s where votes > 0 ${notDiscussed}
        order by votes desc, paper_id limit ${options.limit ?? 10}`,
  );
  const ids = rows.map((r) => r.paper_id);
  const [views, sharers] = await Promise.all([loadPaperViews(db, ids), sharersOf(db, ws, ids)]);
  return rows.flatMap((r) => {
    const paper = views.get(r.paper_id);
    const sharedBy = sharers.get(r.paper_id);
    return paper ? [{ paper, votes: Number(r.votes), ...(sharedBy ? { sharedBy } : {}) }] : [];
  });
}

export function periodStart(period: LeaderboardPeriod, now: Date): Date | null {
  const days = PERIOD_DAYS[period];
  return days === null ? null : new Date(now.getTime() - days * 86_400_000);
}

/** Who shared each paper in a workspace, first sharer first. */
export async function sharersOf(db: Db, ws: Workspace, paperIds: string[]): Promise<Map<string, string[]>> {
  if (paperIds.length === 0) return new Map();
  const rows = await queryRows<{ paper_id: string; who: string }>(
    db,
    sql`select sh.paper_id, coalesce(sh.user_name, sh.user_id) as who, min(sh.created_at) as first
        from shares sh join channels c on c.id = sh.channel_id
        where c.platform = ${ws.platform} and c.workspace_id = ${ws.workspaceId}
          and sh.paper_id in (${sql.join(
            paperIds.map((id) => sql`${id}`),
            sql`, `,
          )})
        group by sh.paper_id, coalesce(sh.user_name, sh.user_id)
        order by first`,
  );
  const byPaper = new Map<string, string[]>();
  for (const r of rows) byPaper.set(r.paper_id, [...(byPaper.get(r.paper_id) ?? []), r.who]);
  return byPaper;
}

/** A workspace's current vote count for each of the given papers (absent = 0). */
export async function votesFor(db: Db, ws: Workspace, paperIds: string[]): Promise<Map<string, number>> {
  if (paperIds.length === 0) return new Map();
  const rows = await queryRows<{ paper_id: string; votes: number }>(db, scoresSql(ws, null, paperIds));
  return new Map(rows.map((r) => [r.paper_id, Number(r.votes)]));
}
