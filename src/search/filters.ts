import { type SQL, sql } from 'drizzle-orm';
import type { SearchQuery } from './query.js';

/**
 * The conditions every result must meet that SQL checks cheaply: authors, categories, dates (on a
 * `papers p` row). Each can use an index (GIN on the tsvector and categories, btree on the date), so
 * filters alone never scan the table. Phrases and exclusions need word positions, which ranking already
 * reads for the few candidates (see rank.ts), so they are checked there rather than by re-reading every
 * matching row's vector here.
 */
export function filterConditions(q: SearchQuery): SQL[] {
  const conditions: SQL[] = [];
  for (const name of q.authors) {
    // Authors are in the tsvector (unstemmed), so the index narrows the rows; then the name must sit
    // within one author's name. No weight in the tsquery: a weight would make Postgres re-read vectors.
    const words = name.map((w) => `${w}:*`).join(' & ');
    const within = sql.join(
      name.map((w) => sql`papers_fold(a) like ${`%${w}%`}`),
      sql` and `,
    );
    conditions.push(sql`p.search_vector @@ to_tsquery('simple'::regconfig, ${words})`);
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

/** `and`-joins conditions; true when there are none. */
export function allOf(conditions: SQL[]): SQL {
  return conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
}
