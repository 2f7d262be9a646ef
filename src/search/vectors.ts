import { sql } from 'drizzle-orm';
import { BinaryCopyWriter, throughStaging } from '../../db/binary-copy.js';
import { type Db, queryRows } from '../../db/client.js';
import { paperWords, searchVector, titleVector } from './lexemes.js';
import type { PaperText } from './paper-text.js';

/** Papers read and written per statement. */
const BATCH = 2000;

/**
 * Writes the search vectors of papers that have none: rows loaded around ingest (benchmarks, bulk
 * imports), rows a merge left with text other than what was sent, and every row after a migration that
 * cleared the vectors because the analysis changed. Pages through them by id using the partial index of
 * unindexed papers, so with nothing to do it costs one index probe. Returns how many it indexed.
 */
export async function indexPapers(
  db: Db,
  options: { ids?: string[]; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const among = options.ids
    ? sql`and id = any(array(select jsonb_array_elements_text(${JSON.stringify(options.ids)}::jsonb)))`
    : sql``;
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await queryRows<PaperText & { id: string }>(
      db,
      sql`select id, title, abstract, keywords, authors from papers
          where search_vector is null and id > ${after} ${among}
          order by id limit ${BATCH}`,
    );
    if (rows.length === 0) break;
    const vectors = new BinaryCopyWriter(3);
    for (const row of rows) {
      const words = paperWords(row);
      vectors.row().text(row.id).tsvector(searchVector(words)).tsvector(titleVector(words));
    }
    await throughStaging(
      db,
      { table: 'reindexed_papers', columns: 'id text, search_vector tsvector, title_vector tsvector' },
      vectors.finish(),
      sql`with x as (delete from reindexed_papers returning *)
          update papers p set search_vector = x.search_vector, title_vector = x.title_vector
          from x where p.id = x.id`,
    );
    done += rows.length;
    options.onProgress?.(done);
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]?.id ?? after;
  }
  return done;
}

/**
 * Merges what writes left in the GIN indexes' pending lists into the indexes proper. Inserts are cheap
 * because new entries only queue in a pending list, but every search reads that whole list; a server's
 * autovacuum merges it eventually, PGlite never does. So each ingest run, and any bulk write of vectors
 * or vocabulary, ends by merging it, in one go, which is also cheaper than merging a little at a time.
 */
export async function mergePendingIndexEntries(db: Db): Promise<void> {
  await db.execute(sql`
    select gin_clean_pending_list(i.indexrelid)
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_am am on am.oid = c.relam
    where am.amname = 'gin' and i.indrelid in ('papers'::regclass, 'search_terms'::regclass)`);
}
