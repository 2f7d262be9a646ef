import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, queryRows } from '../../db/client.js';
import { papers } from '../../db/schema.js';
import { normalisePaper, type PaperInput } from '../../src/domain/paper-input.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { upsertPapers } from '../../src/search/store.js';
import { createTestDatabase, onServer, type TestDatabase } from '../helpers/db.js';

describe('storing papers in batches', () => {
  let database: TestDatabase;

  let dir: string;

  beforeEach(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'papers-store-'));
  });

  afterEach(async () => {
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const generated = (n: number, upvotes = 1) =>
    Array.from({ length: n }, (_, i) =>
      normalisePaper({
        anyId: `2501.${String(10000 + i)}`,
        title: `Paper number ${i}`,
        abstract: `About ${i}.`,
        hfUpvotes: upvotes,
        source: 'hf',
      }),
    );

  it('stores a file read in chunks stored side by side, each paper once, and counts a repeat as unchanged', async () => {
    const lines = Array.from({ length: 2_500 }, (_, i) =>
      JSON.stringify({
        arxivId: `2501.${10000 + (i === 2_400 ? 10 : i)}`,
        title: `Paper ${i}`,
        upvotes: i % 7,
      }),
    );
    lines.splice(1_200, 0, '{"title": ', '{"abstract": "no title"}');
    const file = join(dir, 'papers.jsonl');
    await writeFile(file, lines.join('\n'));

    const first = await ingestFile(database.db, file, { concurrency: 3, chunkSize: 500 });
    // Line 2401 repeats the paper of line 11 in a later chunk: it updates that row.
    expect(first.counts).toEqual({ new: 2_499, updated: 1, unchanged: 0 });
    expect(first.skipped).toEqual([
      { where: 'line 1201', reason: 'not valid JSON' },
      { where: 'line 1202', reason: 'title: missing or not text' },
    ]);
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(papers);
    expect(row?.n).toBe(2_499);

    const again = await ingestFile(database.db, file, { concurrency: 3, chunkSize: 500 });
    // The repeated paper flips between its two titles; everything else is as it was.
    expect(again.counts).toEqual({ new: 0, updated: 2, unchanged: 2_498 });
  });

  it('merges two sightings of one paper in the same batch, keeping the most upvotes and every source', async () => {
    const [hf] = generated(1, 9);
    const arxiv = normalisePaper({
      anyId: '2501.10000v2',
      title: 'Paper number 0',
      categories: ['cs.CL'],
      source: 'arxiv',
    });
    expect(await upsertPapers(database.db, [hf!, arxiv])).toEqual({ new: 1, updated: 0, unchanged: 0 });
    const [row] = await database.db.select().from(papers).where(eq(papers.id, '2501.10000'));
    expect(row).toMatchObject({
      hfUpvotes: 9,
      version: 2,
      categories: ['cs.CL'],
      abstract: 'About 0.',
      sources: ['arxiv', 'hf'],
    });
  });

  it.each([
    ['on their own', (papers: PaperInput[]) => upsertPapers(database.db, papers)],
    [
      'each in a transaction of its own',
      (papers: PaperInput[]) => database.db.transaction((tx) => upsertPapers(tx as unknown as Db, papers)),
    ],
  ])(
    'stores papers two writers store at the same moment (%s) once, merged, and counts their words once',
    async (_, store) => {
      // Each writer may find none of the papers stored and copy them; a copy refused for the other's rows
      // is merged instead (the next test makes sure of that on a server).
      const [first, second] = await Promise.all([store(generated(50, 3)), store(generated(50, 8))]);
      expect(first.new + second.new).toBe(50);
      expect(
        first.new + first.updated + first.unchanged + second.new + second.updated + second.unchanged,
      ).toBe(100);
      const rows = await queryRows<{ n: number; upvotes: number[] }>(
        database.db,
        sql`select count(*)::int as n, array_agg(distinct hf_upvotes) as upvotes from papers`,
      );
      expect(rows[0]).toEqual({ n: 50, upvotes: [8] });
      const [number] = await queryRows<{ docs: number }>(
        database.db,
        sql`select docs from search_terms where term = 'number'`,
      );
      expect(number?.docs).toBe(50);
    },
  );

  /** A transaction that does `work`, then stays open, holding what it took, until `commit` is called. */
  const heldOpen = async (work: (tx: Db) => Promise<unknown>) => {
    let ready = () => {};
    let commit = () => {};
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const done = database.db.transaction(async (tx) => {
      await work(tx as unknown as Db);
      ready();
      await committed;
    });
    await Promise.race([isReady, done]);
    return { commit, done };
  };

  /** Whether `n` writers are seen waiting for a lock in a straight copy into papers within 10 s. */
  const copiesWaiting = async (n: number): Promise<boolean> => {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const [row] = await queryRows<{ n: number }>(
        database.db,
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like 'copy papers %'`,
      );
      if (row?.n === n) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  };

  it.runIf(onServer)(
    'merges a batch whose papers another writer stored between its check and its copy',
    async () => {
      // A share lock lets both writers look for their papers, then holds both copies until each has looked.
      const gate = await heldOpen((tx) => tx.execute(sql`lock table papers in share mode`));
      const writers = Promise.all([
        upsertPapers(database.db, generated(50, 3)),
        upsertPapers(database.db, generated(50, 8)),
      ]);
      // Both writers found none of their papers and went for the straight copy.
      const bothWaited = await copiesWaiting(2);
      gate.commit();
      await gate.done;
      expect(bothWaited).toBe(true);
      const [first, second] = await writers;
      expect([first, second].map((c) => c.new).sort()).toEqual([0, 50]);
      const rows = await queryRows<{ n: number; upvotes: number[] }>(
        database.db,
        sql`select count(*)::int as n, array_agg(distinct hf_upvotes) as upvotes from papers`,
      );
      expect(rows[0]).toEqual({ n: 50, upvotes: [8] });
    },
  );

  it.runIf(onServer)(
    'waits for a writer that stored the same papers and has not committed, then merges',
    async () => {
      const other = await heldOpen((tx) => upsertPapers(tx, generated(50, 3)));
      // The first 50 papers are the other writer's, not yet visible; the last 10 are new to both.
      const writer = upsertPapers(database.db, generated(60, 8));
      const waited = await copiesWaiting(1);
      other.commit();
      await other.done;
      expect(waited).toBe(true);
      expect(await writer).toEqual({ new: 10, updated: 50, unchanged: 0 });
      const rows = await queryRows<{ n: number; upvotes: number[] }>(
        database.db,
        sql`select count(*)::int as n, array_agg(distinct hf_upvotes) as upvotes from papers`,
      );
      expect(rows[0]).toEqual({ n: 60, upvotes: [8] });
    },
  );

  it('compresses a long abstract with lz4 where the database has it, and reads it back whole', async () => {
    const abstract = Array.from({ length: 600 }, (_, i) => `word${i % 40}`).join(' ');
    await upsertPapers(database.db, [
      normalisePaper({ anyId: '2501.10003', title: 'Long', abstract, source: 'hf' }),
    ]);
    const [row] = await queryRows<{ method: string; text: string; lz4: boolean }>(
      database.db,
      sql`select pg_column_compression(abstract) as method, abstract as text,
            exists (select from pg_settings where name = 'default_toast_compression' and 'lz4' = any (enumvals)) as lz4
          from papers where id = '2501.10003'`,
    );
    expect(row?.method).toBe(row?.lz4 ? 'lz4' : 'pglz');
    expect(row?.text).toBe(abstract);
  });

  it('stores several batches inside one transaction, each paper once', async () => {
    const counts = await database.db.transaction((tx) => upsertPapers(tx as unknown as Db, generated(2_500)));
    expect(counts).toEqual({ new: 2_500, updated: 0, unchanged: 0 });
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(papers);
    expect(row?.n).toBe(2_500);
  });

  it('stores text Postgres cannot hold as it can: no NUL, no half of a surrogate pair, no date before year 1', async () => {
    const paper = normalisePaper({
      anyId: '2501.10001',
      title: 'Nul\0 paper',
      abstract: 'An abstract',
      aiSummary: 'A sum\0mary',
      keywords: ['key\0word', 'half \ud83d pair'],
      publishedAt: new Date(Date.UTC(-5000, 0, 1)),
      source: 'hf',
    });
    expect(await upsertPapers(database.db, [paper])).toEqual({ new: 1, updated: 0, unchanged: 0 });
    const [row] = await database.db.select().from(papers).where(eq(papers.id, '2501.10001'));
    expect(row).toMatchObject({
      title: 'Nul paper',
      aiSummary: 'A summary',
      keywords: ['keyword', 'half \ufffd pair'],
      publishedAt: null,
    });
  });

  it('indexes a paper longer than the positions a search vector counts', async () => {
    // Past position 16,383 Postgres counts every word at that position; each word must be kept once there.
    const abstract = Array.from({ length: 20_000 }, (_, i) => `word${i % 50}`).join(' ');
    const paper = normalisePaper({ anyId: '2501.10002', title: 'A long one', abstract, source: 'hf' });
    await upsertPapers(database.db, [paper]);
    const [row] = await queryRows<{ positions: number[] }>(
      database.db,
      sql`select u.positions from papers, unnest(search_vector) u where id = '2501.10002' and u.lexeme = 'word7'`,
    );
    expect(row?.positions.length).toBe(256);
    const [found] = await queryRows<{ id: string }>(
      database.db,
      sql`select id from papers where search_vector @@ to_tsquery('simple', 'word49')`,
    );
    expect(found?.id).toBe('2501.10002');
  });

  it('counts each word once per new paper for typo correction, and papers seen again not at all', async () => {
    const paper = (id: string, abstract: string, hfUpvotes = 1) =>
      normalisePaper({ anyId: id, title: 'Gaussian splatting', abstract, hfUpvotes, source: 'hf' });
    const docs = async () =>
      Object.fromEntries(
        (
          await queryRows<{ term: string; docs: number }>(
            database.db,
            sql`select term, docs from search_terms where term in ('gaussian', 'splatting', 'rasterizer', 'sorting', 'avatars')`,
          )
        ).map((r) => [r.term, r.docs]),
      );
    await upsertPapers(database.db, [
      paper('2501.10001', 'A rasterizer, and a rasterizer again.'),
      paper('2501.10002', 'Sorting splats.'),
    ]);
    expect(await docs()).toEqual({ gaussian: 2, splatting: 2, rasterizer: 1, sorting: 1 });

    // One new paper beside one seen again (more upvotes, a new word) and one unchanged.
    await upsertPapers(database.db, [
      paper('2501.10001', 'A rasterizer, and a rasterizer again.'),
      paper('2501.10002', 'Sorting splats for avatars.', 5),
      paper('2501.10003', 'A rasterizer.'),
    ]);
    expect(await docs()).toEqual({ gaussian: 3, splatting: 3, rasterizer: 2, sorting: 1, avatars: 0 });
  });

  it('refuses a batch with a number the database cannot hold before sending it, and stores the next one', async () => {
    const [paper] = generated(1);
    await expect(upsertPapers(database.db, [{ ...paper!, githubStars: 2 ** 31 }])).rejects.toThrow(
      '2147483648 does not fit a 32-bit integer column',
    );
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(papers);
    expect(row?.n).toBe(0);
    expect(await upsertPapers(database.db, generated(3))).toEqual({ new: 3, updated: 0, unchanged: 0 });
  });
});
