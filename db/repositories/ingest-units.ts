import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { ingestUnits } from '../schema.js';

/**
 * Which of these units earlier runs finished (and need not be fetched again once settled): those
 * remembered under their own key, and those whose every part was remembered.
 */
export async function finishedUnitKeys(
  db: Db,
  units: readonly { key: string; parts?: readonly string[] }[],
): Promise<Set<string>> {
  const wanted = [...new Set(units.flatMap((u) => [u.key, ...(u.parts ?? [])]))];
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += 1000) {
    const rows = await db
      .select({ key: ingestUnits.key })
      .from(ingestUnits)
      .where(inArray(ingestUnits.key, wanted.slice(i, i + 1000)));
    for (const row of rows) found.add(row.key);
  }
  const finished = new Set<string>();
  for (const unit of units) {
    const parts = unit.parts ?? [];
    if (found.has(unit.key) || (parts.length > 0 && parts.every((part) => found.has(part)))) {
      finished.add(unit.key);
    }
  }
  return finished;
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
