import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/** The folded, unstemmed words of a paper row, as the search_terms table holds them. */
const PAPER_WORDS = sql.raw(
  `unnest(to_tsvector('simple'::regconfig, papers_fold(p.title || ' ' || p.keywords::text || ' ' || p.abstract || ' ' || p.authors::text)))`,
);

/**
 * Adds the words of the given papers to the vocabulary search uses for typo correction and word
 * rarity. Counts grow only for papers new to the library, so re-ingesting a paper does not inflate them;
 * the counts are a guide to rarity, not an exact statistic.
 */
export async function addToVocabulary(db: Db, newIds: string[], updatedIds: string[] = []): Promise<void> {
  for (const [ids, increment] of [
    [newIds, 1],
    [updatedIds, 0],
  ] as const) {
    if (ids.length === 0) continue;
    await db.execute(sql`
      insert into search_terms (term, docs)
      select u.word, count(*)::int * ${increment}
      from papers p, ${PAPER_WORDS} as u(word)
      where p.id = any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))
      group by u.word
      -- Words in one order: concurrent ingest batches then lock shared rows alike and cannot deadlock.
      order by u.word
      on conflict (term) do update set docs = search_terms.docs + excluded.docs`);
  }
}

/** Recounts the whole vocabulary from the papers table (after a bulk load that bypassed ingest). */
export async function rebuildVocabulary(db: Db): Promise<void> {
  await db.execute(sql`delete from search_terms`);
  await db.execute(sql`
    insert into search_terms (term, docs)
    select u.word, count(*)::int from papers p, ${PAPER_WORDS} as u(word) group by u.word`);
}
