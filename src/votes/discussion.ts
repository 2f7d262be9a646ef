import type { Db } from '../../db/client.js';
import { findDiscussion, listDiscussions, recordDiscussion } from '../../db/repositories/discussions.js';
import { loadPaperViews, paperExists } from '../../db/repositories/papers.js';
import { findArxivIds, parseArxivId } from '../domain/arxiv-id.js';
import { UserError } from '../domain/errors.js';
import type { LeaderboardEntry, UserRef, Workspace } from '../domain/types.js';
import { topPapers } from './leaderboard.js';

/**
 * The team's next paper to discuss: the most-voted one not yet discussed, this week's votes first; when
 * the week is quiet, the month's, then all time.
 */
export async function currentPick(db: Db, ws: Workspace, now: Date): Promise<LeaderboardEntry | null> {
  for (const period of ['week', 'month', 'all'] as const) {
    const [top] = await topPapers(db, ws, period, now, { limit: 1, excludeDiscussed: true });
    if (top) return top;
  }
  return null;
}

/** Marks the pick (or a named paper) as discussed; it leaves the pool and the next best becomes the pick. */
export async function markDiscussed(
  db: Db,
  ws: Workspace,
  paperRef: string | undefined,
  user: UserRef,
  now: Date,
): Promise<{ discussed: LeaderboardEntry; next: LeaderboardEntry | null }> {
  let entry: LeaderboardEntry | null;
  if (paperRef) {
    const paperId = await findPaperId(db, paperRef);
    const views = await loadPaperViews(db, [paperId]);
    const paper = views.get(paperId)!;
    const votes = (await topPapers(db, ws, 'all', now, { limit: 1000 })).find(
      (e) => e.paper.id === paperId,
    )?.votes;
    entry = { paper, votes: votes ?? 0 };
  } else {
    entry = await currentPick(db, ws, now);
    if (!entry)
      throw new UserError('There is no pick yet: papers become the pick once someone votes for them.');
  }
  const inserted = await recordDiscussion(db, ws, {
    paperId: entry.paper.id,
    votes: entry.votes,
    discussedAt: now,
    discussedBy: user.name ?? user.id,
  });
  if (!inserted) {
    const previous = await findDiscussion(db, ws, entry.paper.id);
    throw new UserError(
      `"${entry.paper.title}" was already discussed${previous ? ` on ${previous.discussedAt.toISOString().slice(0, 10)}` : ''}.`,
    );
  }
  return { discussed: entry, next: await currentPick(db, ws, now) };
}

/** Papers the workspace has discussed, newest first. */
export async function discussionHistory(db: Db, ws: Workspace, limit = 20) {
  const rows = await listDiscussions(db, ws, limit);
  const views = await loadPaperViews(
    db,
    rows.map((r) => r.paperId),
  );
  return rows.flatMap((r) => {
    const paper = views.get(r.paperId);
    return paper ? [{ paper, votes: r.votes, discussedAt: r.discussedAt, discussedBy: r.discussedBy }] : [];
  });
}

/** A paper by arXiv id (any version or link form) or by our own id; a UserError when unknown. */
export async function findPaperId(db: Db, ref: string): Promise<string> {
  const id = findArxivIds(ref)[0]?.id ?? parseArxivId(ref)?.id ?? ref.trim();
  if (!(await paperExists(db, id))) {
    throw new UserError(
      `I don't know the paper "${ref}". Use an arXiv id such as 2401.12345 (see /papers search), or share it first.`,
    );
  }
  return id;
}
