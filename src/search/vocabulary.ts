import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { countDefinitions, type DefinitionCounts, replaceAcronyms } from './acronyms.js';
import { paperWords, wordCounts } from './lexemes.js';
import { libraryText } from './library-text.js';
import { mergePendingIndexEntries } from './vectors.js';

/** Terms per statement when counting a whole library. */
const REBUILD_BATCH = 5000;

/**
 * Adds word counts (see `wordCounts`) to the vocabulary search uses for typo correction and word rarity.
 * Counts grow only for papers new to the library, so re-ingesting a paper does not inflate them (its new
 * words are added with no count); the counts are a guide to rarity, not an exact statistic. Words are cut
 * by the bot rather than by the database: one pass in JavaScript instead of a second text parse of every
 * paper in Postgres.
 */
export async function addToVocabulary(db: Db, counts: ReadonlyMap<string, number>): Promise<void> {
  if (counts.size === 0) return;
  const rows = JSON.stringify([...counts].map(([term, docs]) => ({ term, docs })));
  await db.execute(sql`
    insert into search_terms (term, docs)
    select t.term, t.docs from jsonb_to_recordset(${rows}::jsonb) as t(term text, docs int)
    -- Terms in one order: concurrent ingest batches then lock shared rows alike and cannot deadlock.
    order by t.term
    on conflict (term) do update set docs = search_terms.docs + excluded.docs
      where excluded.docs > 0`);
}

/**
 * Recounts the whole vocabulary and the acronyms from the papers table (after a bulk load that bypassed
 * ingest), and merges the indexes' pending lists, which such a load fills.
 */
export async function rebuildVocabulary(db: Db): Promise<void> {
  const counts = new Map<string, number>();
  const definitions: DefinitionCounts = new Map();
  for await (const papers of libraryText(db)) {
    for (const [term, docs] of wordCounts(papers.map(paperWords)))
      counts.set(term, (counts.get(term) ?? 0) + docs);
    countDefinitions(papers, definitions, 1);
  }
  await db.execute(sql`delete from search_terms`);
  const terms = [...counts.entries()];
  for (let i = 0; i < terms.length; i += REBUILD_BATCH) {
    await addToVocabulary(db, new Map(terms.slice(i, i + REBUILD_BATCH)));
  }
  await replaceAcronyms(db, definitions);
  await mergePendingIndexEntries(db);
}

/**
 * Counts the vocabulary again when it is empty although there are papers: after a migration that
 * changed how words are read, which clears it.
 */
export async function learnMissingVocabulary(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ missing: boolean }>(
    db,
    sql`select not exists (select 1 from search_terms) and exists (select 1 from papers) as missing`,
  );
  if (!row?.missing) return false;
  await rebuildVocabulary(db);
  return true;
}
