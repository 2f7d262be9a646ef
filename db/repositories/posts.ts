import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { posts, unfurls } from '../schema.js';

export type PostRow = typeof posts.$inferSelect;
export type NewPost = typeof posts.$inferInsert;

/**
 * Records a message the bot posted about a paper (a digest reply, a share card, a pick), the message
 * votes are counted on; a post already recorded for the same message is left as it is.
 */
export async function recordPost(db: Db, post: NewPost): Promise<PostRow | undefined> {
  const [row] = await db.insert(posts).values(post).onConflictDoNothing().returning();
  return row;
}

/** The first message the bot posted about a paper in a channel, if any. */
export async function firstPostOf(
  db: Db,
  channelPk: number,
  paperId: string,
): Promise<Pick<PostRow, 'id' | 'kind' | 'messageId' | 'threadId'> | undefined> {
  const [row] = await db
    .select({ id: posts.id, kind: posts.kind, messageId: posts.messageId, threadId: posts.threadId })
    .from(posts)
    .where(and(eq(posts.channelId, channelPk), eq(posts.paperId, paperId)))
    .orderBy(asc(posts.createdAt))
    .limit(1);
  return row;
}

/** The papers of a digest run already posted in its thread. */
export async function papersPostedInRun(db: Db, runId: number): Promise<Set<string>> {
  const rows = await db.select({ paperId: posts.paperId }).from(posts).where(eq(posts.digestRunId, runId));
  return new Set(rows.map((p) => p.paperId));
}

/** The post behind a message in a channel. */
export async function postByMessage(
  db: Db,
  channelPk: number,
  messageId: string,
): Promise<PostRow | undefined> {
  const [row] = await db
    .select()
    .from(posts)
    .where(and(eq(posts.channelId, channelPk), eq(posts.messageId, messageId)));
  return row;
}

/** Every post in these channels. */
export async function postsInChannels(db: Db, channelPks: number[]): Promise<PostRow[]> {
  if (channelPks.length === 0) return [];
  return db.select().from(posts).where(inArray(posts.channelId, channelPks));
}

/** Claims the unfolding of a message's links: true for the first caller only. */
export async function claimUnfurl(db: Db, channelPk: number, messageId: string): Promise<boolean> {
  const rows = await db
    .insert(unfurls)
    .values({ channelId: channelPk, messageId })
    .onConflictDoNothing()
    .returning({ messageId: unfurls.messageId });
  return rows.length > 0;
}

/** When the latest of a digest run's papers was recorded, if any was. */
export async function lastPostAt(db: Db, runId: number): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: posts.createdAt })
    .from(posts)
    .where(eq(posts.digestRunId, runId))
    .orderBy(desc(posts.createdAt))
    .limit(1);
  return row?.at;
}
