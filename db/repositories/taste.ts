import { eq, inArray, sql } from 'drizzle-orm';
import type { Workspace } from '../../src/domain/types.js';
import { type Db, queryRows } from '../client.js';
import { papers, tasteModels } from '../schema.js';

/** A paper's text, as taste reads it. */
export interface PaperTextRow {
  id: string;
  title: string;
  abstract: string;
  keywords: string[];
}

export async function paperTexts(db: Db, ids: string[]): Promise<PaperTextRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: papers.id, title: papers.title, abstract: papers.abstract, keywords: papers.keywords })
    .from(papers)
    .where(inArray(papers.id, ids));
}

/** A paper someone voted on, and how: above 0 for, below against. */
export interface VotedPaper {
  paperId: string;
  votes: number;
}

/**
 * What a workspace voted for and against, or one person in it: per paper, the sum of each person's vote
 * (the sign of their reactions' weights), as the leaderboard counts.
 */
export async function votedPapers(db: Db, ws: Workspace, userId?: string): Promise<VotedPaper[]> {
  const byUser = userId ? sql`and v.user_id = ${userId}` : sql``;
  const rows = await queryRows<{ paper_id: string; votes: number }>(
    db,
    sql`select paper_id, sum(vote)::int as votes from (
          select po.paper_id, v.user_id, sign(sum(v.weight)) as vote
          from votes v
          join posts po on po.id = v.post_id
          join channels ch on ch.id = po.channel_id
          where v.active and ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId} ${byUser}
          group by po.paper_id, v.user_id
        ) per_user group by paper_id having sum(vote) <> 0`,
  );
  return rows.map((r) => ({ paperId: r.paper_id, votes: Number(r.votes) }));
}

/**
 * Papers the workspace's digests showed at least `settledDays` ago that nobody voted on, newest first:
 * weak evidence of what the team passes over.
 */
export async function passedOver(db: Db, ws: Workspace, before: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ paper_id: string }>(
    db,
    sql`select po.paper_id from posts po
        join channels ch on ch.id = po.channel_id
        where po.kind = 'digest' and ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId}
          and po.created_at < ${before.toISOString()}::timestamptz
          and not exists (
            select 1 from votes v join posts p2 on p2.id = v.post_id join channels c2 on c2.id = p2.channel_id
            where v.active and p2.paper_id = po.paper_id
              and c2.platform = ch.platform and c2.workspace_id = ch.workspace_id)
        group by po.paper_id
        order by max(po.created_at) desc
        limit ${limit}`,
  );
  return rows.map((r) => r.paper_id);
}

/** A fingerprint of the votes a model learns from: it changes whenever any of them does. */
export async function votesFingerprint(db: Db, ws: Workspace, userId?: string): Promise<string> {
  const byUser = userId ? sql`and v.user_id = ${userId}` : sql``;
  const [row] = await queryRows<{ n: number; latest: string | null; weights: number }>(
    db,
    sql`select count(*)::int as n, max(v.event_at)::text as latest, coalesce(sum(v.weight * (case when v.active then 1 else 2 end)), 0)::int as weights
        from votes v join posts po on po.id = v.post_id join channels ch on ch.id = po.channel_id
        where ch.platform = ${ws.platform} and ch.workspace_id = ${ws.workspaceId} ${byUser}`,
  );
  return `${row?.n ?? 0}:${row?.latest ?? ''}:${row?.weights ?? 0}`;
}

export type StoredModel = typeof tasteModels.$inferSelect;

export async function loadModel(db: Db, scope: string): Promise<StoredModel | undefined> {
  const [row] = await db.select().from(tasteModels).where(eq(tasteModels.scope, scope));
  return row;
}

export async function saveModel(
  db: Db,
  model: { scope: string; fingerprint: string; model: StoredModel['model']; trainedAt: Date },
): Promise<void> {
  await db
    .insert(tasteModels)
    .values(model)
    .onConflictDoUpdate({
      target: tasteModels.scope,
      set: { fingerprint: model.fingerprint, model: model.model, trainedAt: model.trainedAt },
    });
}
