import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { ingestUnits } from '../schema.js';

/** Which of these units earlier runs finished (and need not be fetched again once settled). */
export async function finishedUnitKeys(db: Db, units: readonly { key: string }[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let i = 0; i < units.length; i += 1000) {
    const batch = units.slice(i, i + 1000).map((u) => u.key);
    const rows = await db
      .select({ key: ingestUnits.key })
      .from(ingestUnits)
      .where(inArray(ingestUnits.key, batch));
    for (const row of rows) keys.add(row.key);
  }
  return keys;
}

/** Remembers a unit as fetched and stored whole, with how many papers it held. */
export async function markUnitDone(db: Db, source: string, key: string, papers: number): Promise<void> {
  await db
    .insert(ingestUnits)
    .values({ key, source, papers })
    .onConflictDoUpdate({
      target: ingestUnits.key,
      set: { papers, finishedAt: sql`now()` },
    });
}
