import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Platform, Workspace } from '../../src/domain/types.js';
import type { Db } from '../client.js';
import { discussions } from '../schema.js';

export type DiscussionRow = typeof discussions.$inferSelect;

const ofWorkspace = (ws: Workspace) =>
  and(eq(discussions.platform, ws.platform), eq(discussions.workspaceId, ws.workspaceId));

/** Records that a workspace discussed a paper; undefined when it already had. */
export async function recordDiscussion(
  db: Db,
  ws: Workspace,
  discussion: { paperId: string; votes: number; discussedAt: Date; discussedBy: string },
): Promise<DiscussionRow | undefined> {
  const [inserted] = await db
    .insert(discussions)
    .values({ platform: ws.platform, workspaceId: ws.workspaceId, ...discussion })
    .onConflictDoNothing()
    .returning();
  return inserted;
}

/** Undoes a workspace's "discussed" of a paper; the row it removed, if there was one. */
export async function deleteDiscussion(
  db: Db,
  ws: Workspace,
  paperId: string,
): Promise<DiscussionRow | undefined> {
  const [row] = await db
    .delete(discussions)
    .where(and(ofWorkspace(ws), eq(discussions.paperId, paperId)))
    .returning();
  return row;
}

/** When (and by whom) a workspace discussed a paper, if it did. */
export async function findDiscussion(
  db: Db,
  ws: Workspace,
  paperId: string,
): Promise<DiscussionRow | undefined> {
  const [row] = await db
    .select()
    .from(discussions)
    .where(and(ofWorkspace(ws), eq(discussions.paperId, paperId)));
  return row;
}

/** A workspace's discussions, newest first. */
export async function listDiscussions(db: Db, ws: Workspace, limit: number): Promise<DiscussionRow[]> {
  return db
    .select()
    .from(discussions)
    .where(ofWorkspace(ws))
    .orderBy(desc(discussions.discussedAt))
    .limit(limit);
}

/** Which of the given papers the workspace has discussed. */
export async function discussedAmong(db: Db, ws: Workspace, paperIds: string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db
    .select({ paperId: discussions.paperId })
    .from(discussions)
    .where(and(ofWorkspace(ws), inArray(discussions.paperId, paperIds)));
  return new Set(rows.map((r) => r.paperId));
}

/** Every discussion of a workspace, on any of these platforms. */
export async function discussionsOf(
  db: Db,
  workspaceId: string,
  platforms: readonly Platform[],
): Promise<DiscussionRow[]> {
  if (platforms.length === 0) return [];
  return db
    .select()
    .from(discussions)
    .where(and(eq(discussions.workspaceId, workspaceId), inArray(discussions.platform, [...platforms])));
}
