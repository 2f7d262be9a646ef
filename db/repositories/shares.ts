import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Workspace } from '../../src/domain/types.js';
import { type Db, queryRows } from '../client.js';
import { shares } from '../schema.js';

export type ShareRow = typeof shares.$inferSelect;

/** Records a share; undefined when this source message already shared this paper here (a redelivery). */
export async function recordShare(
  db: Db,
  share: {
    channelId: number;
    paperId: string;
    userId: string;
    userName: string | null;
    sourceMessageId: string;
    createdAt?: Date;
  },
): Promise<ShareRow | undefined> {
  const [row] = await db.insert(shares).values(share).onConflictDoNothing().returning();
  return row;
}

/** Ties a share to the message people vote on. */
export async function linkShareToPost(db: Db, shareId: number, postId: number): Promise<void> {
  await db.update(shares).set({ postId }).where(eq(shares.id, shareId));
}

/** Who first shared a paper in a channel. */
export async function firstSharer(
  db: Db,
  channelPk: number,
  paperId: string,
): Promise<{ userId: string; userName: string | null } | undefined> {
  const [row] = await db
    .select({ userName: shares.userName, userId: shares.userId })
    .from(shares)
    .where(and(eq(shares.channelId, channelPk), eq(shares.paperId, paperId)))
    .orderBy(asc(shares.createdAt), asc(shares.id))
    .limit(1);
  return row;
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

/** Every share in these channels. */
export async function sharesInChannels(db: Db, channelPks: number[]): Promise<ShareRow[]> {
  if (channelPks.length === 0) return [];
  return db.select().from(shares).where(inArray(shares.channelId, channelPks));
}
