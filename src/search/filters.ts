import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { quoteLexeme } from './lexemes.js';
import type { SearchQuery } from './query.js';

/**
 * The conditions every result must meet that SQL checks cheaply: authors, categories, dates (on a
 * `papers p` row). Each can use an index (GIN on the tsvector and categories, btree on the date), so
 * filters alone never scan the table. Phrases and exclusions need word positions, which ranking already
 * reads for the few candidates (see rank.ts), so they are checked there rather than by re-reading every
 * matching row's vector here.
 */
export function filterConditions(q: SearchQuery, commonWords: ReadonlySet<string> = new Set()): SQL[] {
  const conditions: SQL[] = [];
  for (const name of q.authors) {
    // Authors are in the tsvector (unstemmed), so the index narrows the rows; then the name must sit
    // within one author's name. No weight in the tsquery: a weight would make Postgres re-read vectors.
    // A name word on many papers is left to the row check: its postings would cost more to read than
    // the few rows it takes to find enough that match.
    const rare = name.filter((w) => !commonWords.has(w));
    const within = sql.join(
      name.map((w) => sql`papers_fold(a) like ${`%${w}%`}`),
      sql` and `,
    );
    if (rare.length > 0) {
      const words = rare.map((w) => `${quoteLexeme(w)}:*`).join(' & ');
      conditions.push(sql`p.search_vector @@ ${words}::tsquery`);
    }
    conditions.push(sql`exists (select 1 from jsonb_array_elements_text(p.authors) a where ${within})`);
  }
  if (q.categories.length > 0) {
    const variants = [...new Set(q.categories.flatMap(categorySpellings))];
    conditions.push(
      sql`p.categories ?| array[${sql.join(
        variants.map((c) => sql`${c}`),
        sql`, `,
      )}]::text[]`,
    );
  }
  if (q.since) conditions.push(sql`p.published_at >= ${q.since.toISOString()}::timestamptz`);
  if (q.before) conditions.push(sql`p.published_at < ${q.before.toISOString()}::timestamptz`);
  return conditions;
}

/** arXiv spells categories `cs.CL`, `stat.ML`, `hep-th`, `physics.optics`: accept any case. */
function categorySpellings(category: string): string[] {
  const [archive = '', subject] = category.split('.');
  const lower = archive.toLowerCase();
  if (!subject) return [lower];
  return [`${lower}.${subject.toUpperCase()}`, `${lower}.${subject.toLowerCase()}`, category];
}

/** Share of the library above which an author's name word is checked on rows, not through the index. */
const COMMON_NAME_SHARE = 0.05;

/** The words of the `author:` names that are on more than COMMON_NAME_SHARE of the papers. */
export async function commonNameWords(db: Db, q: SearchQuery): Promise<Set<string>> {
  const words = [...new Set(q.authors.flat())];
  if (words.length === 0) return new Set();
  const rows = await queryRows<{ term: string }>(
    db,
    sql`select s.term from search_terms s, pg_class c
        where c.oid = 'papers'::regclass and c.reltuples > 0
          and s.term = any(array(select jsonb_array_elements_text(${JSON.stringify(words)}::jsonb)))
          and s.docs > c.reltuples * ${COMMON_NAME_SHARE}`,
  );
  return new Set(rows.map((r) => r.term));
}

/** `and`-joins conditions; true when there are none. */
export function allOf(conditions: SQL[]): SQL {
  return conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
}
