/**
 * `npm run bench:search-quality`: scores search (nDCG@10, MRR@10, Recall@10) beside a minisearch BM25
 * baseline on three judged sets: the 21 shared dev queries over the 97 seed papers, and the two halves
 * of bench/search-judged.json (over the seed papers and the recorded fixtures) — the tuning half and the
 * held-out half, which ranking is never tuned on. Then again with the papers mixed into generated
 * look-alikes (BENCH_MIXED papers, default 50,000); BENCH_SETS=dev,tune,held-out picks the sets, BENCH_BASELINE=0 leaves the baseline out. Prints empty answers to queries that have a relevant
 * paper, the worst queries, and latency. Paths: SEED_PAPERS, SEARCH_DEV, SEARCH_JUDGED, FIXTURES.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { searchPapers } from '../src/search/search.js';
import { upsertPapers } from '../src/search/store.js';
import { mergePendingIndexEntries } from '../src/search/vectors.js';
import { rebuildVocabulary } from '../src/search/vocabulary.js';
import { buildBaseline } from './lib/baseline.js';
import { judgedCorpus } from './lib/corpus.js';
import { fmt, type Judgment, mean, percentile, type Scores, scoreRanking } from './lib/metrics.js';
import { JUDGED_FILE, readJudgments, readSeed, readSplitJudgments } from './lib/seed.js';
import { generatePapers, insertGenerated } from './lib/synthetic.js';

const MIXED = Number(process.env.BENCH_MIXED ?? 50_000);
const seed = readSeed();
// BENCH_SETS=tune while tuning, so the held-out half is looked at only once it is done.
const only = process.env.BENCH_SETS?.split(',');
const sets: { name: string; judgments: Judgment[] }[] = [
  { name: 'dev', judgments: readJudgments() },
  ...(['tune', 'held-out'] as const).map((split) => ({
    name: split,
    judgments: readSplitJudgments().filter((j) => j.split === split),
  })),
].filter((set) => !only || only.includes(set.name));
const WORST = Number(process.env.BENCH_WORST ?? 10);
// BENCH_BASELINE=0 leaves the baseline out (its long fuzzy queries take seconds over the look-alikes).
const WITH_BASELINE = process.env.BENCH_BASELINE !== '0';

const target = { kind: 'pglite', dataDir: undefined } as const;
const database = await openDatabase(target);
await migrate(database, target);
const { db } = database;
await upsertPapers(db, judgedCorpus());
await mergePendingIndexEntries(db);

async function run(label: string) {
  const rows = await queryRows<{ id: string; title: string; abstract: string }>(
    db,
    sql`select id, title, abstract from papers`,
  );
  const baseline = WITH_BASELINE ? buildBaseline(rows) : null;
  console.log(`\n${label} (${rows.length} papers)`);
  for (const set of sets) {
    const ours: Scores[] = [];
    const theirs: Scores[] = [];
    const times: number[] = [];
    const scored: { score: Scores; query: string; titles: string[] }[] = [];
    let empty = 0;
    let answerable = 0;
    for (const judgment of set.judgments) {
      const started = performance.now();
      const result = await searchPapers(db, judgment.query, { pageSize: 10 }).catch(() => null);
      times.push(performance.now() - started);
      const titles = result?.hits.map((h) => h.paper.title) ?? [];
      const hasAnswer = Object.values(judgment.relevant).some((g) => g > 0);
      if (hasAnswer) {
        answerable++;
        if (titles.length === 0) empty++;
      }
      const score = scoreRanking(titles, judgment);
      if (hasAnswer) {
        ours.push(score);
        if (baseline) theirs.push(scoreRanking(baseline.search(judgment.query), judgment));
        scored.push({ score, query: judgment.query, titles });
      }
    }
    console.log(`  ${set.name}: ${set.judgments.length} queries, ${answerable} with a relevant paper`);
    console.log(
      `    papers search   ${fmt(mean(ours))}  p50 ${percentile(times, 0.5).toFixed(1)} ms  p95 ${percentile(times, 0.95).toFixed(1)} ms  empty answers ${empty}`,
    );
    if (baseline) console.log(`    minisearch BM25 ${fmt(mean(theirs))}`);
    const worst = scored.sort((a, b) => a.score.ndcg - b.score.ndcg).slice(0, WORST);
    console.log(`    worst ${worst.length}:`);
    for (const w of worst) {
      const shown = w.query.length > 70 ? `${w.query.slice(0, 67)}...` : w.query;
      console.log(
        `      ${w.score.ndcg.toFixed(2)} "${shown}" → ${w.titles.slice(0, 2).join(' | ') || '(nothing)'}`,
      );
    }
  }
}

console.log(`judged set ${JUDGED_FILE}`);

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
