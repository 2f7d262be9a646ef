import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase, parseDatabaseUrl, queryRows } from '../../db/client.js';
import { loadConfig } from '../../src/config.js';
import { normalisePaper } from '../../src/domain/paper-input.js';
import { openMigratedDatabase, SAMPLE_PAPERS_FILE } from '../../src/main.js';
import { lexemeOf, lexemePositions, paperWords } from '../../src/search/lexemes.js';
import { textWords } from '../../src/search/query.js';
import { searchPapers } from '../../src/search/search.js';
import { upsertPapers } from '../../src/search/store.js';
import { indexPapers } from '../../src/search/vectors.js';
import { createTestDatabase, createTestDatabaseUrl, type TestDatabase } from '../helpers/db.js';

const NOW = new Date('2026-11-26T10:00:00Z');

describe('the words search indexes', () => {
  let database: TestDatabase;
  const titles = async (query: string) =>
    (await searchPapers(database.db, query, { pageSize: 5, now: NOW })).hits.map((h) => h.paper.title);

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  it('are those of the merged paper when a later sighting lacks its abstract', async () => {
    await upsertPapers(database.db, [
      normalisePaper({
        anyId: '2501.00001v1',
        title: 'Spin Glass Solvers',
        abstract: 'Quantum annealing finds ground states of frustrated magnets.',
        source: 'arxiv',
      }),
    ]);
    // The listing of v2 has a new title and no abstract: the stored abstract is kept, and searchable.
    await upsertPapers(database.db, [
      normalisePaper({ anyId: '2501.00001v2', title: 'Faster Spin Glass Solvers', source: 'hf' }),
    ]);
    expect(await titles('quantum annealing')).toEqual(['Faster Spin Glass Solvers']);
    expect(await titles('faster')).toEqual(['Faster Spin Glass Solvers']);
  });

  it('stem as Postgres’ English configuration does, so a word finds its other forms', async () => {
    const words = new Set<string>();
    const samples: { paper: { title: string; summary: string } }[] = JSON.parse(
      await readFile(SAMPLE_PAPERS_FILE, 'utf8'),
    );
    for (const { paper } of samples) {
      for (const word of textWords(`${paper.title} ${paper.summary}`)) {
        if (/^[a-z]+$/.test(word)) words.add(word);
      }
    }
    const list = [...words];
    const rows = await queryRows<{ word: string; lexeme: string | null }>(
      database.db,
      sql`select w as word, (select string_agg(l, ' ') from unnest(to_tsvector('english'::regconfig, w)) u(l)) as lexeme
          from jsonb_array_elements_text(${JSON.stringify(list)}::jsonb) as t(w)`,
    );
    const theirs = new Map(rows.map((r) => [r.word, r.lexeme]));
    const differ = list.filter((w) => (theirs.get(w) ?? null) !== lexemeOf(w));
    expect(list.length).toBeGreaterThan(1000);
    expect(differ).toEqual([]);
  });
});

/** Each paper's stored search vector, read back as ranking sees positions: lexeme → position and field. */
async function storedPositions(db: Db, where: SQL) {
  const rows = await queryRows<{ id: string; lexeme: string; positions: number[]; weights: string[] }>(
    db,
    sql`select p.id, u.lexeme, u.positions, u.weights from papers p, unnest(p.search_vector) u where ${where}`,
  );
  const stored = new Map<string, Map<string, { pos: number; field: string }[]>>();
  for (const r of rows) {
    const paper = stored.get(r.id) ?? stored.set(r.id, new Map()).get(r.id)!;
    paper.set(
      r.lexeme,
      r.positions.map((pos, i) => ({ pos, field: r.weights[i] ?? '' })),
    );
  }
  return { rows: rows.length, stored };
}

describe('the stored vectors', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  it('hold every word at the positions ranking works out from the text', async () => {
    const samples: { paper: { id: string; title: string; summary: string; authors: { name: string }[] } }[] =
      JSON.parse(await readFile(SAMPLE_PAPERS_FILE, 'utf8'));
    const inputs = samples.map(({ paper }) =>
      normalisePaper({
        anyId: paper.id,
        title: paper.title,
        abstract: paper.summary,
        authors: paper.authors.map((a) => a.name),
        keywords: ['test-time scaling'],
        source: 'test',
      }),
    );
    await upsertPapers(database.db, inputs);
    const { rows, stored } = await storedPositions(database.db, sql`true`);
    expect(rows).toBeGreaterThan(1000);
    for (const input of inputs) {
      const lexemes = stored.get(input.id)!;
      expect(lexemePositions(paperWords(input), new Set(lexemes.keys()))).toEqual(lexemes);
    }
  });

  it('are written for thousands of papers loaded without them, each as ingest writes it', async () => {
    // Enough rows that the data sent to the database spans several buffers, vectors cut across them.
    await database.db.execute(sql`
      insert into papers (id, title, abstract)
      select 'bulk-' || i, 'Sparse attention kernels ' || i,
             'We study cache eviction for long context decoding with ' || i || ' tokens and ' ||
             (i * 7) || ' heads, measuring recall, latency and memory across many settings.'
      from generate_series(1, 4000) as i`);
    expect(await indexPapers(database.db)).toBe(4_000);
    const [left] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from papers where search_vector is null or title_vector is null`,
    );
    expect(left?.n).toBe(0);
    const sample = sql`p.id in ('bulk-1', 'bulk-1234', 'bulk-4000')`;
    const { stored } = await storedPositions(database.db, sample);
    const texts = await queryRows<{ id: string; title: string; abstract: string }>(
      database.db,
      sql`select id, title, abstract from papers p where ${sample}`,
    );
    for (const id of ['bulk-1', 'bulk-1234', 'bulk-4000']) {
      const lexemes = stored.get(id)!;
      const text = texts.find((t) => t.id === id)!;
      const words = paperWords({ title: text.title, abstract: text.abstract, keywords: [], authors: [] });
      expect(lexemePositions(words, new Set(lexemes.keys()))).toEqual(lexemes);
    }
  });
});

describe('papers stored without search vectors', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-vectors-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('are indexed when the bot opens the database, as after an upgrade that changed how words are cut', async () => {
    const { url, destroy } = await createTestDatabaseUrl(dir);
    try {
      const before = await openDatabase(parseDatabaseUrl(url));
      await upsertPapers(before.db, [
        normalisePaper({ anyId: '2501.00002', title: 'Tidal Disruption Events', source: 'arxiv' }),
      ]);
      // What a migration that changes the analysis does: every vector is cleared.
      await before.db.execute(sql`update papers set search_vector = null, title_vector = null`);
      expect(
        (await searchPapers(before.db, 'tidal disruption', { pageSize: 5, now: NOW })).hits,
      ).toHaveLength(0);
      await before.close();

      const after = await openMigratedDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }));
      try {
        const found = await searchPapers(after.db, 'tidal disruption', { pageSize: 5, now: NOW });
        expect(found.hits.map((h) => h.paper.title)).toEqual(['Tidal Disruption Events']);
      } finally {
        await after.close();
      }
    } finally {
      await destroy();
    }
  });
});

describe('papers stored before their acronyms were learnt', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-acronyms-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('teach them when the bot opens the database', async () => {
    const { url, destroy } = await createTestDatabaseUrl(dir);
    try {
      const before = await openDatabase(parseDatabaseUrl(url));
      await upsertPapers(before.db, [
        normalisePaper({
          anyId: '2501.00003',
          title: 'Routing Tokens',
          abstract: 'A Mixture of Experts (MoE) routes each token.',
          source: 'arxiv',
        }),
        normalisePaper({
          anyId: '2501.00005',
          title: 'Experts That Share Parameters',
          abstract: 'Each layer of a Mixture of Experts (MoE) keeps its own experts.',
          source: 'arxiv',
        }),
        normalisePaper({ anyId: '2501.00004', title: 'Sparse Mixture of Experts at Scale', source: 'arxiv' }),
      ]);
      // A library from before acronyms were learnt has none.
      await before.db.execute(sql`delete from search_acronyms`);
      const titles = async (db: typeof before.db) =>
        (await searchPapers(db, 'moe', { pageSize: 5, now: NOW })).hits.map((h) => h.paper.title);
      expect((await titles(before.db)).sort()).toEqual(['Experts That Share Parameters', 'Routing Tokens']);
      await before.close();

      const after = await openMigratedDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }));
      try {
        expect((await titles(after.db)).sort()).toEqual([
          'Experts That Share Parameters',
          'Routing Tokens',
          'Sparse Mixture of Experts at Scale',
        ]);
      } finally {
        await after.close();
      }
    } finally {
      await destroy();
    }
  });
});
