import { type SQL, sql } from 'drizzle-orm';
import type { SearchQuery } from './query.js';

/**
 * The conditions every result must meet (phrases, exclusions, authors, categories, dates), on a `papers p`
 * row. Each positive condition can use an index (GIN on the tsvector and categories, btree on the date),
 * so a query of filters alone never scans the table.
 */
export function filterConditions(q: SearchQuery): SQL[] {
  const conditions: SQL[] = [];
  for (const phrase of q.phrases) {
    conditions.push(sql`p.search_vector @@ phraseto_tsquery('english'::regconfig, ${phrase.join(' ')})`);
  }
  if (q.excluded.length > 0) {
    const any = sql.join(
      q.excluded.map((words) => sql`phraseto_tsquery('english'::regconfig, ${words.join(' ')})`),
      sql` || `,
    );
    conditions.push(sql`not (p.search_vector @@ (${any}))`);
  }
  for (const name of q.authors) {
    // Authors are indexed unstemmed with weight D; the name must then sit within one author's name.
    const words = name.map((w) => `${w}:*D`).join(' & ');
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
