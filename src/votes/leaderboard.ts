import type { Db } from '../../db/client.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { sharersOf } from '../../db/repositories/shares.js';
import { topScores } from '../../db/repositories/votes.js';
import type { LeaderboardEntry, LeaderboardPeriod, Workspace } from '../domain/types.js';

const PERIOD_DAYS: Record<LeaderboardPeriod, number | null> = { week: 7, month: 30, all: null };

/** The most-voted papers of a workspace in a period, with who shared them. */
export async function topPapers(
  db: Db,
  ws: Workspace,
  period: LeaderboardPeriod,
  now: Date,
  options: { limit?: number; excludeDiscussed?: boolean } = {},
): Promise<LeaderboardEntry[]> {
  const rows = await topScores(db, ws, periodStart(period, now), {
    limit: options.limit ?? 10,
    excludeDiscussed: options.excludeDiscussed ?? false,
  });
  const ids = rows.map((r) => r.paperId);
  const [views, sharers] = await Promise.all([loadPaperViews(db, ids), sharersOf(db, ws, ids)]);
  return rows.flatMap((r) => {
    const paper = views.get(r.paperId);
    const sharedBy = sharers.get(r.paperId);
    return paper ? [{ paper, votes: r.votes, ...(sharedBy ? { sharedBy } : {}) }] : [];
  });
}

export function periodStart(period: LeaderboardPeriod, now: Date): Date | null {
  const days = PERIOD_DAYS[period];
  return days === null ? null : new Date(now.getTime() - days * 86_400_000);
}
