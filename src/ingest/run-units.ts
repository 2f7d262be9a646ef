import type { Db } from '../../db/client.js';
import { finishedUnitKeys as finishedKeys, markUnitDone } from '../../db/repositories/ingest-units.js';
import { addDays } from '../domain/days.js';
import type { IngestUnit, PaperSource, SourceName } from '../domain/ports.js';
import { type UpsertCounts, upsertPapers } from '../search/store.js';
import { mergePendingIndexEntries } from '../search/vectors.js';

/** What a run did, for the closing line of a backfill and for logs. */
export interface IngestSummary {
  /** The source the run fetched from. */
  source: SourceName;
  counts: UpsertCounts;
  /** Units finished by an earlier run and not fetched again. */
  alreadyDone: number;
  /** Items a source could not read, by reason. */
  skippedItems: Map<string, number>;
  failed: { unit: string; reason: string }[];
  /** Requests sent to the upstream, failed units included; absent when the source does not count them. */
  requests?: number;
}

/** Progress of a run, one call per unit. */
export type UnitOutcome =
  | { unit: IngestUnit; status: 'done'; counts: UpsertCounts; skipped: number }
  | { unit: IngestUnit; status: 'already-done' }
  | { unit: IngestUnit; status: 'failed'; reason: string };

export interface RunOptions {
  /** Today, `YYYY-MM-DD` in UTC: units that have not settled yet are fetched again and not remembered. */
  today: string;
  /** Fetch units even when an earlier run finished them (refreshing upvotes). */
  force?: boolean;
  onUnit?: (outcome: UnitOutcome, index: number, total: number) => void;
}

/**
 * Fetches and stores units one by one. A unit that fails is reported and the run goes on; a unit's papers
 * are stored in one transaction together with the note that it is done, so a crash never half-remembers.
 */
export async function ingestUnitsOf(
  db: Db,
  source: PaperSource,
  units: IngestUnit[],
  options: RunOptions,
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    source: source.name,
    counts: { new: 0, updated: 0, unchanged: 0 },
    alreadyDone: 0,
    skippedItems: new Map(),
    failed: [],
  };
  const done = options.force ? new Set<string>() : await finishedKeys(db, units);
  for (const [index, unit] of units.entries()) {
    const report = (outcome: UnitOutcome) => options.onUnit?.(outcome, index, units.length);
    if (done.has(unit.key)) {
      summary.alreadyDone += 1;
      report({ unit, status: 'already-done' });
      continue;
    }
    try {
      const fetched = await source.fetch(unit);
      addRequests(summary, fetched.requests);
      const settled = addDays(unit.lastDay, source.settleDays) < options.today;
      const counts = await db.transaction(async (tx) => {
        const stored = await upsertPapers(tx as unknown as Db, fetched.papers);
        if (settled) await markUnitDone(tx as unknown as Db, source.name, unit.key, fetched.papers.length);
        return stored;
      });
      addCounts(summary.counts, counts);
      for (const item of fetched.skipped) {
        summary.skippedItems.set(item.reason, (summary.skippedItems.get(item.reason) ?? 0) + 1);
      }
      report({ unit, status: 'done', counts, skipped: fetched.skipped.length });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      addRequests(summary, (err as { requests?: number } | null)?.requests);
      summary.failed.push({ unit: unit.label, reason });
      report({ unit, status: 'failed', reason });
    }
  }
  if (summary.counts.new + summary.counts.updated > 0) await mergePendingIndexEntries(db);
  return summary;
}

function addRequests(summary: IngestSummary, requests: unknown): void {
  if (typeof requests === 'number') summary.requests = (summary.requests ?? 0) + requests;
}

function addCounts(total: UpsertCounts, more: UpsertCounts): void {
  total.new += more.new;
  total.updated += more.updated;
  total.unchanged += more.unchanged;
}
