import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { normalisePaper } from '../../src/domain/paper-input.js';
import { foldText } from '../../src/search/query.js';
import { searchPapers } from '../../src/search/search.js';
import { upsertPapers } from '../../src/search/store.js';
import { indexPapers } from '../../src/search/vectors.js';
import { learnMissingVocabulary } from '../../src/search/vocabulary.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const NAMES = [
  'Jens Møldrup',
  'Anna Weißl',
  'Michał Nowak',
  'Søren Ærø',
  'Đorđe Þórsson',
  'Œdipe Schrödinger',
];

describe('names with letters that have no accent to strip', () => {
  let database: TestDatabase;
  const titles = async (query: string) =>
    (await searchPapers(database.db, query, { pageSize: 5 })).hits.map((h) => h.paper.title);

  beforeAll(async () => {
    database = await createTestDatabase();
    await upsertPapers(
      database.db,
      NAMES.map((author, i) =>
        normalisePaper({
          anyId: `2601.0000${i}`,
          title: `Paper ${i} on graph sparsification`,
          abstract: 'We study graph sparsification.',
          authors: [author],
          source: 'test',
        }),
      ),
    );
  });
  afterAll(() => database.destroy());

  it('fold the same in the application and in the database', async () => {
    const words = [...NAMES, 'ĦĸŀŉŋŦſ', 'H$_2$O', 'Über'];
    const rows = await queryRows<{ folded: string }>(
      database.db,
      sql`select papers_fold(w) as folded from unnest(${`{${words.map((w) => `"${w}"`).join(',')}}`}::text[]) with ordinality as t(w, n) order by n`,
    );
    expect(rows.map((r) => r.folded)).toEqual(words.map(foldText));
  });

  it('are indexed and counted again at start after a migration clears them', async () => {
    await database.db.execute(sql`update papers set search_vector = null, title_vector = null`);
    await database.db.execute(sql`delete from search_terms`);
    expect(await titles('moldrup')).toEqual([]);
    expect(await indexPapers(database.db)).toBe(NAMES.length);
    expect(await learnMissingVocabulary(database.db)).toBe(true);
    expect(await learnMissingVocabulary(database.db)).toBe(false);
    expect((await titles('moldrup'))[0]).toBe('Paper 0 on graph sparsification');
  });

  it.each([
    ['author:weissl', 1],
    ['author:weißl', 1],
    ['author:moldrup', 0],
    ['author:møldrup', 0],
    ['author:michal', 2],
    ['author:michał', 2],
    ['author:"soren aero"', 3],
    ['author:dorde', 4],
    ['author:thorsson', 4],
    ['author:oedipe', 5],
    ['michal sparsification', 2],
    ['moldrup', 0],
  ])('%s finds the paper by its author as printed or in ASCII', async (query, paper) => {
    expect((await titles(query))[0]).toBe(`Paper ${paper} on graph sparsification`);
  });
});
