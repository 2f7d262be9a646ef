/**
 * `npm run bench:search`: latency (p50/p95/p99) of mixed queries over generated libraries: BENCH_PGLITE
 * papers (default 100,000) on PGlite and BENCH_SERVER papers (default 1,000,000) on the Postgres server
 * at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a throwaway database is
 * created and dropped; BENCH_SERVER=0 skips it), with load and index build times and index sizes, and
 * the minisearch baseline's latency over the PGlite library (BENCH_BASELINE_QUERIES of them, default 40,
 * because each takes seconds).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, type DatabaseTarget, openDatabase, queryRows } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { UserError } from '../src/domain/errors.js';
import { searchPapers } from '../src/search/search.js';
import { buildBaseline } from './lib/baseline.js';
import { describeLoad, loadLibrary } from './lib/load.js';
import { percentile } from './lib/metrics.js';
import { mixedQueries } from './lib/queries.js';
import { readSeed } from './lib/seed.js';

const PGLITE_PAPERS = Number(process.env.BENCH_PGLITE ?? 100_000);
const SERVER_PAPERS = Number(process.env.BENCH_SERVER ?? 1_000_000);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BASELINE_QUERIES = Number(process.env.BENCH_BASELINE_QUERIES ?? 40);
const seed = readSeed();
const queries = mixedQueries(seed, 200);
const log = (line: string) => console.log(line);

async function timeQueries(database: Database): Promise<number[]> {
  for (const q of queries.slice(0, 10)) await run(database, q); // warm caches, as a running bot has them
  const times: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await run(database, query);
    times.push(performance.now() - started);
  }
  return times;
}

async function run(database: Database, query: string): Promise<void> {
  try {
    await searchPapers(database.db, query, { pageSize: 5 });
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
  }
}

function describeTimes(label: string, times: number[]): string {
  const f = (q: number) => percentile(times, q).toFixed(1);
  return `  ${label}: p50 ${f(0.5)} ms  p95 ${f(0.95)} ms  p99 ${f(0.99)} ms  (${times.length} queries)`;
}

async function bench(target: DatabaseTarget, total: number, label: string, withBaseline: boolean) {
  log(`\n${label}: ${total} papers`);
  const database = await openDatabase(target);
  try {
    await migrate(database, target);
    log(describeLoad(await loadLibrary(database.db, seed, total, log)));
    log(describeTimes('papers search', await timeQueries(database)));
    if (withBaseline) {
      const rows = await queryRows<{ id: string; title: string; abstract: string }>(
        database.db,
        sql`select id, title, abstract from papers`,
      );
      const started = performance.now();
      const baseline = buildBaseline(rows);
      log(`  minisearch index built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const times: number[] = [];
      for (const query of queries.slice(0, BASELINE_QUERIES)) {
        const t = performance.now();
        baseline.search(query);
        times.push(performance.now() - t);
      }
      log(describeTimes('minisearch baseline', times));
    }
  } finally {
    await database.close();
  }
}

if (PGLITE_PAPERS > 0) await bench({ kind: 'pglite', dataDir: undefined }, PGLITE_PAPERS, 'PGlite', true);
if (SERVER_PAPERS > 0) {
  const name = `papers_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  try {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    await bench({ kind: 'postgres', url: url.toString() }, SERVER_PAPERS, 'Postgres server', false);
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
