import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { normalisePaper } from '../../src/domain/paper-input.js';
import { upsertPapers } from '../../src/search/store.js';
import { rebuildVocabulary } from '../../src/search/vocabulary.js';
import type { SeedPaper } from './seed.js';
import { generatePapers, insertGenerated } from './synthetic.js';

export interface LoadReport {
  papers: number;
  loadSeconds: number;
  indexSeconds: number;
  indexes: { name: string; bytes: number }[];
}

/**
 * Fills a migrated database with the corpus and generated look-alikes up to `total` papers, the way a
 * bulk load should: secondary indexes dropped, rows inserted in large batches, indexes rebuilt, the
 * vocabulary recounted, statistics gathered. Reports the time of each part and the index sizes.
 */
export async function loadLibrary(
  db: Db,
  seed: SeedPaper[],
  total: number,
  log: (line: string) => void,
): Promise<LoadReport> {
  const indexes = await queryRows<{ name: string; def: string }>(
    db,
    sql`select indexname as name, indexdef as def from pg_indexes
        where tablename in ('papers', 'search_terms') and indexname not like '%_pkey'`,
  );
  for (const index of indexes) await db.execute(sql.raw(`drop index ${index.name}`));
  let started = performance.now();
  await upsertPapers(
    db,
    seed.map((p) => normalisePaper({ ...p, source: 'bench' })),
  );
  let lastLog = 0;
  await insertGenerated(db, generatePapers(seed, Math.max(0, total - seed.length)), (done) => {
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(`  … ${done} generated papers inserted (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  });
  const loadSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (const index of indexes) await db.execute(sql.raw(index.def));
  await rebuildVocabulary(db);
  await db.execute(sql`analyze papers`);
  await db.execute(sql`analyze search_terms`);
  const indexSeconds = (performance.now() - started) / 1000;
  const sizes = await queryRows<{ name: string; bytes: number }>(
    db,
    sql`select c.relname as name, pg_relation_size(c.oid)::bigint as bytes
        from pg_class c join pg_index i on i.indexrelid = c.oid
        join pg_class t on t.oid = i.indrelid
        where t.relname in ('papers', 'search_terms')
        order by c.relname`,
  );
  return {
    papers: total,
    loadSeconds,
    indexSeconds,
    indexes: sizes.map((s) => ({ name: s.name, bytes: Number(s.bytes) })),
  };
}

export function describeLoad(report: LoadReport): string {
  const mb = (b: number) => `${(b / 1_048_576).toFixed(1)} MB`;
  return [
    `  load ${report.loadSeconds.toFixed(1)} s; index build + vocabulary + analyze ${report.indexSeconds.toFixed(1)} s`,
    ...report.indexes.map((i) => `  index ${i.name.padEnd(26)} ${mb(i.bytes)}`),
  ].join('\n');
}
