import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { allOf } from './filters.js';
import type { Term } from './terms.js';

/** Only the rarest terms shape the probes, which bounds their number (2^8 − 1 subsets per field). */
const MAX_SHAPING_TERMS = 8;
/** Rows one probe may contribute; bounds the work of a query however common its words are. */
const PROBE_LIMIT = 40;
/** Probes sent together in one statement, and at most this many statements. */
const PROBES_PER_ROUND = 6;
const MAX_ROUNDS = 4;
/** A match in the title says more than one anywhere in the text. */
const TITLE_FACTOR = 1.5;

export interface CandidateOptions {
  filters: SQL[];
  /** A tsquery every candidate must match (the words of required phrases), or null. */
  required: string | null;
  arxivIds: string[];
  /** True when the filters include an author, which the GIN index answers best. */
  indexedFilters: boolean;
  /** Stop once this many candidates are found. */
  want: number;
}

interface Probe {
  column: 'title_vector' | 'search_vector';
  tsquery: string;
  priority: number;
  /** Papers containing the probe's rarest word: GIN walks that word's postings, skipping through the rest. */
  cost: number;
}

/**
 * A probe whose rarest word is in more papers than this would read long postings to return an
 * arbitrary 40 of them, so it is skipped (the best probe of each column still runs).
 */
const COMMON_POSTINGS = 20_000;

/**
 * Every subset of the terms, in the title and in the whole text, best first: a subset is worth the
 * rarity of its words, more in the title. Each is an AND query, which GIN answers by walking the rarest
 * word's postings and skipping through the others.
 */
export function probes(terms: Term[], required: string | null = null): Probe[] {
  const shaping = [...terms].sort((a, b) => b.weight - a.weight).slice(0, MAX_SHAPING_TERMS);
  const total = shaping.reduce((sum, t) => sum + t.weight, 0) || 1;
  const list: Probe[] = [];
  // With a required part, the empty subset is a probe too: the required words alone.
  for (let mask = required ? 0 : 1; mask < 1 << shaping.length; mask++) {
    const chosen = shaping.filter((_, i) => mask & (1 << i));
    const worth = chosen.reduce((sum, t) => sum + t.weight, 0) / total;
    const parts = [...(required ? [required] : []), ...chosen.map((t) => t.tsquery)];
    const tsquery = parts.map((q) => `(${q})`).join(' & ');
    // A required phrase's words bound the cost as well as the chosen terms do.
    const cost = required ? 0 : Math.min(...chosen.map((t) => t.docs));
    list.push({ column: 'title_vector', tsquery, priority: worth * TITLE_FACTOR, cost });
    list.push({ column: 'search_vector', tsquery, priority: worth, cost });
  }
  return list.sort((a, b) => b.priority - a.priority || a.column.localeCompare(b.column));
}

/**
 * Finds a bounded set of candidates, best probes first: papers whose title has all the terms, then
 * whose text has them all, then subsets of the terms by their worth, and so on. Each probe is an index
 * lookup capped at PROBE_LIMIT rows, and the search stops as soon as enough candidates are found, so a
 * query of common words over a million papers costs a few index probes, not a ranking of the table.
 */
export async function findCandidates(db: Db, terms: Term[], options: CandidateOptions): Promise<string[]> {
  const found = new Set<string>();
  const where = allOf(options.filters);
  const run = async (selects: SQL[]) => {
    const rows = await queryRows<{ id: string }>(
      db,
      sql.join(
        selects.map((s) => sql`(${s})`),
        sql` union all `,
      ),
    );
    for (const row of rows) found.add(row.id);
  };
  if (options.arxivIds.length > 0) {
    const ids = sql.join(
      options.arxivIds.map((id) => sql`${id}`),
      sql`, `,
    );
    await run([sql`select p.id from papers p where p.id in (${ids}) and ${where}`]);
  }
  if (terms.length === 0 && !options.required) {
    if (options.arxivIds.length === 0) {
      // Newest first through the date index, unless a filter only an inverted index answers well
      // (an author): then that index finds the rows and ranking orders them.
      const order = options.indexedFilters ? sql`` : sql`order by p.published_at desc nulls last`;
      await run([sql`select p.id from papers p where ${where} ${order} limit ${PROBE_LIMIT}`]);
    }
    return [...found];
  }
  const all = probes(terms, options.required);
  const queue = all.filter(
    (probe) => probe.cost <= COMMON_POSTINGS || all.find((p) => p.column === probe.column) === probe,
  );
  for (let round = 0; round < MAX_ROUNDS && found.size < options.want && queue.length > 0; round++) {
    const batch = queue.splice(0, PROBES_PER_ROUND);
    await run(
      batch.map(
        (probe) =>
          sql`select p.id from papers p where p.${sql.raw(probe.column)} @@ ${probe.tsquery}::tsquery and ${where} limit ${PROBE_LIMIT}`,
      ),
    );
  }
  return [...found];
}
