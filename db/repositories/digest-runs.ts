import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../client.js';
import { digestRuns } from '../schema.js';

export type DigestRun = typeof digestRuns.$inferSelect;

/** A channel's run for a local date, if there is one. */
export async function findRun(db: Db, channelPk: number, localDate: string): Promise<DigestRun | undefined> {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(and(eq(digestRuns.channelId, channelPk), eq(digestRuns.localDate, localDate)));
  return row;
}

/** Creates the run with the papers it will hold; false when another attempt created it first. */
export async function createRun(
  db: Db,
  run: { channelId: number; localDate: string; paperIds: string[]; reasons: Record<string, string> },
): Promise<boolean> {
  const inserted = await db
    .insert(digestRuns)
    .values(run)
    .onConflictDoNothing()
    .returning({ id: digestRuns.id });
  return inserted.length > 0;
}

/**
 * Takes the lease of a run still being posted, unless another instance holds a live one; the run when
 * this instance now holds it.
 */
export async function leaseRun(
  db: Db,
  channelPk: number,
  localDate: string,
  lease: { owner: string; now: Date; until: Date },
): Promise<DigestRun | undefined> {
  const [leased] = await db
    .update(digestRuns)
    .set({ leaseOwner: lease.owner, leaseUntil: lease.until })
    .where(
      and(
        eq(digestRuns.channelId, channelPk),
        eq(digestRuns.localDate, localDate),
        eq(digestRuns.status, 'posting'),
        or(
          isNull(digestRuns.leaseUntil),
          lt(digestRuns.leaseUntil, lease.now),
          eq(digestRuns.leaseOwner, lease.owner),
        ),
      ),
    )
    .returning();
  return leased;
}

/** Remembers the message the run's thread hangs from. */
export async function setRunParent(db: Db, runId: number, parentMessageId: string): Promise<void> {
  await db.update(digestRuns).set({ parentMessageId }).where(eq(digestRuns.id, runId));
}

/** Marks a run done and lets go of its lease. */
export async function finishRun(db: Db, run: DigestRun): Promise<DigestRun> {
  const [row] = await db
    .update(digestRuns)
    .set({ status: 'done', finishedAt: sql`now()`, leaseOwner: null, leaseUntil: null })
    .where(eq(digestRuns.id, run.id))
    .returning();
  return row ?? run;
}

/** `channel:date` of the finished runs among these channels. */
export async function finishedRuns(db: Db, channelPks: number[]): Promise<Set<string>> {
  if (channelPks.length === 0) return new Set();
  const done = await db
    .select({ channelId: digestRuns.channelId, localDate: digestRuns.localDate })
    .from(digestRuns)
    .where(and(eq(digestRuns.status, 'done'), inArray(digestRuns.channelId, channelPks)));
  return new Set(done.map((d) => `${d.channelId}:${d.localDate}`));
}

/**
 * Marks, once, that a digest's thread was told where votes count, when `messageId` is the parent of one
 * of the channel's digests; true for the one caller that should say it.
 */
export async function claimVoteHint(
  db: Db,
  ref: { platform: string; workspaceId: string; channelId: string },
  messageId: string,
  at: Date,
): Promise<boolean> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update digest_runs r set vote_hint_at = ${at.toISOString()}::timestamptz
        from channels c
        where c.id = r.channel_id and c.platform = ${ref.platform} and c.workspace_id = ${ref.workspaceId}
          and c.channel_id = ${ref.channelId} and r.parent_message_id = ${messageId} and r.vote_hint_at is null
        returning r.id`,
  );
  return rows.length > 0;
}
