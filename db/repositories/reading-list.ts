import { and, asc, eq, sql } from 'drizzle-orm';
import type { Workspace } from '../../src/domain/types.js';
import { type Db, queryRows } from '../client.js';
import { people, readingListMessages, savedPapers } from '../schema.js';
import { type Claim, claimMessage, finishMessage } from './message-claims.js';

/** A paper on someone's reading list. */
export interface SavedPaper {
  paperId: string;
  savedAt: Date;
}

const whose = (ws: Workspace, userId: string) =>
  and(
    eq(savedPapers.platform, ws.platform),
    eq(savedPapers.workspaceId, ws.workspaceId),
    eq(savedPapers.userId, userId),
  );

/** Puts a paper on a person's list; false when it was there already. */
export async function savePaper(
  db: Db,
  ws: Workspace,
  userId: string,
  paperId: string,
  at: Date,
): Promise<boolean> {
  const inserted = await db
    .insert(savedPapers)
    .values({ platform: ws.platform, workspaceId: ws.workspaceId, userId, paperId, savedAt: at })
    .onConflictDoNothing()
    .returning({ paperId: savedPapers.paperId });
  return inserted.length > 0;
}

/** Takes a paper off a person's list; false when it was not on it. */
export async function unsavePaper(db: Db, ws: Workspace, userId: string, paperId: string): Promise<boolean> {
  const deleted = await db
    .delete(savedPapers)
    .where(and(whose(ws, userId), eq(savedPapers.paperId, paperId)))
    .returning({ paperId: savedPapers.paperId });
  return deleted.length > 0;
}

/** A person's list, oldest first (what has waited longest comes first). */
export async function savedBy(db: Db, ws: Workspace, userId: string): Promise<SavedPaper[]> {
  return db
    .select({ paperId: savedPapers.paperId, savedAt: savedPapers.savedAt })
    .from(savedPapers)
    .where(whose(ws, userId))
    .orderBy(asc(savedPapers.savedAt), asc(savedPapers.paperId));
}

/** Every reading list of a workspace, for export. */
export async function savedInWorkspace(
  db: Db,
  ws: Workspace,
): Promise<{ userId: string; paperId: string; savedAt: Date }[]> {
  return db
    .select({ userId: savedPapers.userId, paperId: savedPapers.paperId, savedAt: savedPapers.savedAt })
    .from(savedPapers)
    .where(and(eq(savedPapers.platform, ws.platform), eq(savedPapers.workspaceId, ws.workspaceId)))
    .orderBy(asc(savedPapers.userId), asc(savedPapers.savedAt));
}

/** Whether a person gets the weekly message of their list (yes unless they turned it off). */
export async function weeklyReadingListOn(db: Db, ws: Workspace, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ on: people.weeklyReadingList })
    .from(people)
    .where(
      and(
        eq(people.platform, ws.platform),
        eq(people.workspaceId, ws.workspaceId),
        eq(people.userId, userId),
      ),
    );
  return row?.on ?? true;
}

/** Turns a person's weekly reading-list message on or off; true when that changed their choice. */
export async function setWeeklyReadingList(
  db: Db,
  ws: Workspace,
  userId: string,
  on: boolean,
): Promise<boolean> {
  const written = await db
    .insert(people)
    .values({ platform: ws.platform, workspaceId: ws.workspaceId, userId, weeklyReadingList: on })
    .onConflictDoUpdate({
      target: [people.platform, people.workspaceId, people.userId],
      set: { weeklyReadingList: on },
      setWhere: sql`${people.weeklyReadingList} is distinct from excluded.weekly_reading_list`,
    })
    .returning({ userId: people.userId });
  return written.length > 0;
}

/** People's choices in a workspace, for export. */
export async function peopleInWorkspace(
  db: Db,
  ws: Workspace,
): Promise<{ userId: string; weeklyReadingList: boolean }[]> {
  return db
    .select({ userId: people.userId, weeklyReadingList: people.weeklyReadingList })
    .from(people)
    .where(and(eq(people.platform, ws.platform), eq(people.workspaceId, ws.workspaceId)))
    .orderBy(asc(people.userId));
}

/** A person whose weekly message is due: they have papers on their list and did not turn it off. */
export interface ReadingListRecipient {
  workspaceId: string;
  userId: string;
}

/** On the given platform, the people with a list whose message for `week` has not been sent. */
export async function readingListRecipients(
  db: Db,
  platform: string,
  week: string,
): Promise<ReadingListRecipient[]> {
  const rows = await queryRows<{ workspace_id: string; user_id: string }>(
    db,
    sql`select distinct s.workspace_id, s.user_id from saved_papers s
        left join people pe on pe.platform = s.platform and pe.workspace_id = s.workspace_id
          and pe.user_id = s.user_id
        where s.platform = ${platform} and coalesce(pe.weekly_reading_list, true)
          and not exists (
            select 1 from reading_list_messages m where m.platform = s.platform
              and m.workspace_id = s.workspace_id and m.user_id = s.user_id and m.week = ${week}::date
              and m.status = 'done')
        order by s.workspace_id, s.user_id`,
  );
  return rows.map((r) => ({ workspaceId: r.workspace_id, userId: r.user_id }));
}

/** Claims one person's weekly message (new, or one whose holder's claim ran out). */
export async function claimReadingListMessage(
  db: Db,
  who: { platform: string; workspaceId: string; userId: string; week: string },
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<Claim | undefined> {
  const values = { ...who, platform: who.platform as Workspace['platform'] };
  return claimMessage(
    db,
    readingListMessages,
    values,
    [
      eq(readingListMessages.platform, values.platform),
      eq(readingListMessages.workspaceId, who.workspaceId),
      eq(readingListMessages.userId, who.userId),
      eq(readingListMessages.week, who.week),
    ],
    { owner, now, leaseMs },
  );
}

export function finishReadingListMessage(
  db: Db,
  id: number,
  owner: string,
  messageId: string | null,
): Promise<void> {
  return finishMessage(db, readingListMessages, id, owner, messageId);
}
