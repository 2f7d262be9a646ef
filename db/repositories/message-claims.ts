import { and, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { paperAlerts, readingListMessages } from '../schema.js';

/**
 * Tables of messages claimed before they are sent: one row per message by a unique key, held by a lease
 * while it is sent, done with its message id once sent.
 */
type ClaimTable = typeof paperAlerts | typeof readingListMessages;

/** A claim this instance holds; `retake` when an earlier holder's lease ran out (it may have sent it). */
export interface Claim {
  id: number;
  retake: boolean;
}

/**
 * Claims the row `values` makes (`key`: the conditions that find it), new or one whose holder's lease ran
 * out, for `leaseMs`; undefined when it is done or held by a live lease.
 */
export async function claimMessage<T extends ClaimTable>(
  db: Db,
  table: T,
  values: T['$inferInsert'],
  key: SQL[],
  lease: { owner: string; now: Date; leaseMs: number },
): Promise<Claim | undefined> {
  // The two tables share the claim's columns; drizzle's builders take one table type at a time.
  const claims = table as typeof paperAlerts;
  const held = { leaseOwner: lease.owner, leaseUntil: new Date(lease.now.getTime() + lease.leaseMs) };
  const [inserted] = await db
    .insert(claims)
    .values({ ...(values as typeof paperAlerts.$inferInsert), ...held })
    .onConflictDoNothing()
    .returning({ id: claims.id });
  if (inserted) return { id: inserted.id, retake: false };
  const [taken] = await db
    .update(claims)
    .set(held)
    .where(and(...key, eq(claims.status, 'running'), lt(claims.leaseUntil, lease.now)))
    .returning({ id: claims.id });
  return taken ? { id: taken.id, retake: true } : undefined;
}

/** Marks a claimed message sent (or, with no message id, not needed), if this instance still holds it. */
export async function finishMessage(
  db: Db,
  table: ClaimTable,
  id: number,
  owner: string,
  messageId: string | null,
): Promise<void> {
  const claims = table as typeof paperAlerts;
  await db
    .update(claims)
    .set({ status: 'done', messageId, leaseOwner: null, leaseUntil: null })
    .where(and(eq(claims.id, id), eq(claims.leaseOwner, owner)));
}
