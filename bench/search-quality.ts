/**
 * `npm run bench:search-quality`: scores search on the judged dev queries (nDCG@10, MRR@10, Recall@10)
 * against a minisearch BM25 baseline, first over the 97-paper corpus, then with those papers mixed into
 * generated look-alikes (BENCH_MIXED papers, default 50,000), with latency. Paths: SEED_PAPERS, SEARCH_DEV.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { normalisePaper } from '../src/domain/paper-input.js';
import { searchPapers } from '../src/search/search.js';
import { upsertPapers } from '../src/search/store.js';
import { mergePendingIndexEntries } from '../src/search/vectors.js';
import { rebuildVocabulary } from '../src/search/vocabulary.js';
import { buildBaseline } from './lib/baseline.js';
import { fmt, mean, percentile, type Scores, scoreRanking } from './lib/metrics.js';
import { readJudgments, readSeed, SEED_FILE } from './lib/seed.js';
import { generatePapers, insertGenerated } from './lib/synthetic.js';

const MIXED = Number(process.env.BENCH_MIXED ?? 50_000);
const seed = readSeed();
const judgments = readJudgments();

const target = { kind: 'pglite', dataDir: undefined } as const;
const database = await openDatabase(target);
await migrate(database, target);
const { db } = database;
await upsertPapers(
  db,
  seed.map((p) => normalisePaper({ ...p, source: 'bench' })),
);
await mergePendingIndexEntries(db);

async function run(label: string) {
  const ours: Scores[] = [];
  const theirs: Scores[] = [];
  const times: number[] = [];
  const baseTimes: number[] = [];
  const rows = await queryRows<{ id: string; title: string; abstract: string }>(
    db,
    sql`select id, title, abstract from papers`,
  );
  const baseline = buildBaseline(rows);
  const misses: string[] = [];
  for (const judgment of judgments) {
    const started = performance.now();
    const result = await searchPapers(db, judgment.query, { pageSize: 10 });
    times.push(performance.now() - started);
    const titles = result.hits.map((h) => h.paper.title);
    const score = scoreRanking(titles, judgment);
    ours.push(score);
    if (score.ndcg < 0.9)
      misses.push(`  ${score.ndcg.toFixed(2)} "${judgment.query}" → ${titles.slice(0, 3).join(' | ')}`);
    const baseStarted = performance.now();
    theirs.push(scoreRanking(baseline.search(judgment.query), judgment));
    baseTimes.push(performance.now() - baseStarted);
  }
  console.log(`\n${label} (${rows.length} papers, ${judgments.length} queries)`);
  console.log(
    `  papers search   ${fmt(mean(ours))}  p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(times, 0.95).toFixed(1)} ms`,
  );
  console.log(
    `  minisearch BM25 ${fmt(mean(theirs))}  p50 ${percentile(baseTimes, 0.5).toFixed(1)} ms  p95 ${percentile(baseTimes, 0.95).toFixed(1)} ms`,
  );
  if (misses.length > 0) console.log(`  queries below nDCG 0.9:\n${misses.join('\n')}`);
}

console.log(`corpus ${SEED_FILE}`);
await run('Corpus alone');
if (MIXED > 0) {
  const started = performance.now();
  await insertGenerated(db, generatePapers(seed, MIXED));
  await rebuildVocabulary(db);
  await db.execute(sql`analyze`);
  console.log(
    `\n(generated ${MIXED} look-alike papers in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  await run(`Corpus mixed into ${MIXED} generated papers`);
}
await database.close();
