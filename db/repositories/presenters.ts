import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { presenters } from '../schema.js';

export interface Presenter {
  userId: string;
  userName: string | null;
}

/** A channel's rotation, the next presenter first. */
export async function rotation(db: Db, channelPk: number): Promise<Presenter[]> {
  return db
    .select({ userId: presenters.userId, userName: presenters.userName })
    .from(presenters)
    .where(eq(presenters.channelId, channelPk))
    .orderBy(asc(presenters.position), asc(presenters.addedAt));
}

/** Adds people at the end of the rotation, in the order given; those already in it stay where they are. */
export async function addPresenters(db: Db, channelPk: number, people: Presenter[]): Promise<Presenter[]> {
  return db.transaction(async (tx) => {
    const current = await rotation(tx as unknown as Db, channelPk);
    const known = new Set(current.map((p) => p.userId));
    const added = people.filter((p) => !known.has(p.userId));
    if (added.length > 0) {
      const last = await tx
        .select({ max: sql<number>`coalesce(max(${presenters.position}), -1)::int` })
        .from(presenters)
        .where(eq(presenters.channelId, channelPk));
      const start = (last[0]?.max ?? -1) + 1;
      await tx
        .insert(presenters)
        .values(added.map((p, i) => ({ channelId: channelPk, ...p, position: start + i })))
        .onConflictDoNothing();
    }
    return added;
  });
}

/** Removes people from the rotation; those who were in it. */
export async function removePresenters(db: Db, channelPk: number, userIds: string[]): Promise<Presenter[]> {
  if (userIds.length === 0) return [];
  return db
    .delete(presenters)
    .where(and(eq(presenters.channelId, channelPk), inArray(presenters.userId, userIds)))
    .returning({ userId: presenters.userId, userName: presenters.userName });
}

/** Writes the rotation in this order. */
export async function reorderPresenters(db: Db, channelPk: number, order: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [position, userId] of order.entries()) {
      await tx
        .update(presenters)
        .set({ position })
        .where(and(eq(presenters.channelId, channelPk), eq(presenters.userId, userId)));
    }
  });
}

/** Moves a person to the end of the rotation (they just presented). */
export async function moveToEnd(db: Db, channelPk: number, userId: string): Promise<void> {
  await db
    .update(presenters)
    .set({
      position: sql`(select coalesce(max(position), 0) + 1 from ${presenters} where channel_id = ${channelPk})`,
    })
    .where(and(eq(presenters.channelId, channelPk), eq(presenters.userId, userId)));
}
