import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { papers } from '../../db/schema.js';
import { normalisePaper } from '../../src/ingest/normalise.js';
import { upsertPapers } from '../../src/ingest/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('storing papers in batches', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.destroy();
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

  it('stores thousands of papers across concurrent batches once each, and counts a repeat as unchanged', async () => {
    expect(await upsertPapers(database.db, generated(2_500), { concurrency: 3 })).toEqual({
      new: 2_500,
      updated: 0,
      unchanged: 0,
    });
    expect(await upsertPapers(database.db, generated(2_500), { concurrency: 3 })).toEqual({
      new: 0,
      updated: 0,
      unchanged: 2_500,
    });
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(papers);
    expect(row?.n).toBe(2_500);
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
});
