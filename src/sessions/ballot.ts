import type { Db } from '../../db/client.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { ballotCounts, type SessionRow } from '../../db/repositories/sessions.js';
import { votesFor } from '../../db/repositories/votes.js';
import type { BallotOption, LeaderboardEntry, Workspace } from '../domain/types.js';
import { topPapers } from '../votes/leaderboard.js';

/** Papers on a ballot. */
export const BALLOT_SIZE = 3;

/**
 * The team's best papers not yet discussed, up to `limit`: this week's votes first, then the month's,
 * then all time, as the pick is chosen when there is no ballot.
 */
export async function topUndiscussed(
  db: Db,
  ws: Workspace,
  now: Date,
  limit: number,
): Promise<LeaderboardEntry[]> {
  const chosen: LeaderboardEntry[] = [];
  for (const period of ['week', 'month', 'all'] as const) {
    const entries = await topPapers(db, ws, period, now, { limit, excludeDiscussed: true });
    for (const entry of entries) {
      if (chosen.length < limit && !chosen.some((c) => c.paper.id === entry.paper.id)) chosen.push(entry);
    }
    if (chosen.length >= limit) break;
  }
  return chosen;
}

/** The ballot's papers in its order, each with its ballot votes so far. */
export async function ballotOptions(db: Db, session: SessionRow): Promise<BallotOption[]> {
  const [views, counts] = await Promise.all([
    loadPaperViews(db, session.ballotPaperIds),
    ballotCounts(db, session.id),
  ]);
  return session.ballotPaperIds.flatMap((id, i) => {
    const paper = views.get(id);
    return paper ? [{ paper, votes: counts.get(i + 1) ?? 0 }] : [];
  });
}

/**
 * The ballot's winner: the most ballot votes, ties broken by the team's votes on the paper, then by its
 * upvotes on Hugging Face, then by its place on the ballot. Its index, and the votes it won with.
 */
export async function ballotWinner(
  db: Db,
  channel: ChannelRow,
  options: BallotOption[],
): Promise<{ index: number; votes: number; total: number } | null> {
  if (options.length === 0) return null;
  const team = await votesFor(
    db,
    channel,
    options.map((o) => o.paper.id),
  );
  const ranked = options
    .map((option, index) => ({ index, option, team: team.get(option.paper.id) ?? 0 }))
    .sort(
      (a, b) =>
        b.option.votes - a.option.votes ||
        b.team - a.team ||
        b.option.paper.hfUpvotes - a.option.paper.hfUpvotes ||
        a.index - b.index,
    );
  const best = ranked[0]!;
  return {
    index: best.index,
    votes: best.option.votes,
    total: options.reduce((sum, o) => sum + o.votes, 0),
  };
}
