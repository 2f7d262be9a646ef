/**
 * Ingest throughput: generates papers into a temporary JSON Lines file and ingests it into a fresh
 * PGlite and into a throwaway database on a Postgres server, printing papers/s for each.
 *
 *   npm run bench:ingest                 # 100k papers, server at postgres://postgres@127.0.0.1:5432/postgres
 *   npm run bench:ingest -- --papers 20000 --server postgres://user@host:5432/postgres
 *   npm run bench:ingest -- --no-server  # PGlite only
 *
 * Beside papers/s it prints the CPU each paper took in this process and, for a server on this machine, in
 * Postgres: where the machine's speed moves the rate from run to run, they show which side a change eased.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, type DatabaseTarget, openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { papers } from '../db/schema.js';
import { ingestFile } from '../src/ingest/ingest-file.js';
import { cpuPerPaper, sampleCpu } from './lib/cpu.js';

const { values } = parseArgs({
  options: {
    papers: { type: 'string', default: '100000' },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'no-server': { type: 'boolean', default: false },
  },
});
const count = Number(values.papers);
if (!Number.isInteger(count) || count < 1) throw new Error('--papers must be a positive whole number');

const WORDS = (
  'attention transformer diffusion retrieval agent reasoning benchmark alignment sparse mixture experts ' +
  'quantization distillation robotics policy reward language vision multimodal graph kernel cache scaling ' +
  'token context memory planning safety evaluation dataset synthetic latent contrastive'
).split(' ');

function words(n: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) out.push(WORDS[(seed * 31 + i * 17 + ((seed >> 3) ^ i)) % WORDS.length]!);
  return out.join(' ');
}

async function writePapers(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i += 1) {
    const month = String((i % 12) + 1).padStart(2, '0');
    const paper = {
      arxivId: `25${month}.${String(10000 + i).padStart(5, '0')}v${(i % 3) + 1}`,
      title: `${words(8, i)} ${i}`,
      abstract: words(120, i + 7),
      authors: [`Author ${i % 997}`, `Author ${(i * 7) % 991}`, `Author ${(i * 13) % 983}`],
      categories: [['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI'][i % 4]],
      publishedAt: `2025-${month}-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`,
      upvotes: i % 50,
    };
    if (!out.write(`${JSON.stringify(paper)}\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

async function measure(
  label: string,
  database: Database,
  target: DatabaseTarget,
  file: string,
  concurrency: number,
) {
  await migrate(database, target);
  const cpuBefore = sampleCpu();
  const started = performance.now();
  const report = await ingestFile(database.db, file, { concurrency });
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuPerPaper(cpuBefore, sampleCpu(), count, {
    label: target.kind === 'pglite' ? 'bot and PGlite' : 'bot',
    postgres: target.kind === 'postgres',
  });
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(papers);
  const rate = Math.round(count / seconds);
  console.log(
    `${label.padEnd(9)} ${count} papers in ${seconds.toFixed(1)} s = ${rate} papers/s (${report.counts.new} new, ${row?.n} rows); ${cpu}`,
  );
}

/** As `papers ingest --file` does on a server. */
const SERVER_CONCURRENCY = 4;

const dir = await mkdtemp(join(tmpdir(), 'papers-bench-'));
try {
  const file = join(dir, 'papers.jsonl');
  await writePapers(file);
  console.log(`generated ${count} papers into ${file}`);

  const pgliteTarget = { kind: 'pglite', dataDir: join(dir, 'pglite') } as const;
  const pglite = await openDatabase(pgliteTarget);
  try {
    await measure('PGlite', pglite, pgliteTarget, file, 1);
  } finally {
    await pglite.close();
  }

  if (!values['no-server']) {
    const name = `papers_bench_${randomBytes(4).toString('hex')}`;
    const admin = postgres(values.server, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    try {
      const url = new URL(values.server);
      url.pathname = `/${name}`;
      const target = { kind: 'postgres', url: url.toString() } as const;
      const server = await openDatabase(target);
      try {
        await measure('Postgres', server, target, file, SERVER_CONCURRENCY);
      } finally {
        await server.close();
      }
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
