import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { allOf } from './filters.js';
import type { Term } from './terms.js';

/** Only the rarest terms shape the probes, which bounds their number (2 + 6 + 2 × 8). */
const MAX_SHAPING_TERMS = 8;
/** Rows the filters-only listing contributes. */
const LISTING_LIMIT = 40;
/** Newest papers a filters-only listing checks before asking the filters' indexes. */
const NEWEST_WALK = 1000;
/**
 * Papers the rarest word of a probe must be in for the probe to check the newest papers first: its
 * postings then take longer to read than NEWEST_WALK rows, of which enough will match.
 */
const WALK_POSTINGS = 100_000;
/** Share of the library above which filters are checked on a probe's matches, not through their indexes. */
const BROAD_FILTERS = 0.05;
/** Matches of a probe that broad filters are checked on before their indexes are asked. */
const FILTER_POOL = 1000;
/** Rows of a probe whose word positions are checked for the query's phrases. */
const PHRASE_POOL = 500;

export interface CandidateOptions {
  filters: SQL[];
  /**
   * The same conditions, each through its index where it has one: for a listing whose newest papers
   * too few pass, which must not fall back to reading the table.
   */
  indexedConditions: SQL[];
  /** A tsquery every candidate must match (the words of required phrases), or null. */
  required: string | null;
  /** The required phrases as a tsquery with word distances (`'a' <-> 'b'`), or null. */
  phrases?: string | null;
  arxivIds: string[];
  /** True when the filters include an author, which the GIN index answers best. */
  indexedFilters: boolean;
  /** Stop once this many candidates are found. */
  want: number;
}

interface Probe {
  column: 'title_vector' | 'search_vector';
  tsquery: string;
  /** Rows it contributes at most. */
  limit: number;
  /** Papers containing the probe's rarest word: GIN walks that word's postings, skipping through the rest. */
  cost: number;
}

/**
 * A probe whose rarest word is in more papers than this would read long postings to return an
 * arbitrary 40 of them, so it is skipped (the best probe of each column still runs).
 */
const COMMON_POSTINGS = 20_000;

/** Pairs are formed from this many of the rarest terms (three pairs). */
const PAIR_TERMS = 3;
/** Rows each pair probe, and each single term's title and text probes, contribute. */
const PAIR_LIMIT = 10;
const TITLE_LIMIT = 8;
const TEXT_LIMIT = 12;
/** Papers a word may be in and still be a probe on its own (its postings are read whole). */
const SINGLE_POSTINGS = 2000;
/** Terms that are probes on their own, the rarest first. */
const SINGLE_TERMS = 6;
/** Candidates read at most: the probes after the one that fills this are not run. */
const CANDIDATE_POOL = 80;

/**
 * The probes, best first: all the rarest terms together in the title, then in the text; pairs of the
 * rarest; then each term alone, rarest first, in the title and in the text. A paper that shares only
 * some of the words is still found through them, and ranking decides. Each probe is an AND query, which
 * GIN answers by walking its rarest word's postings; a term common enough to make that walk long is left
 * to ranking (unless it is all the query has).
 */
export function probes(terms: Term[], required: string | null = null, want = 50): Probe[] {
  const rarest = [...terms].sort((a, b) => b.weight - a.weight).slice(0, MAX_SHAPING_TERMS);
  const list: Probe[] = [];
  const add = (chosen: Term[], column: Probe['column'], limit: number) => {
    const parts = [...(required ? [required] : []), ...chosen.map((t) => t.tsquery)];
    if (parts.length === 0) return;
    // A required phrase's words bound the cost as well as the chosen terms do.
    const cost = required || chosen.length === 0 ? 0 : Math.min(...chosen.map((t) => t.docs));
    list.push({ column, tsquery: parts.map((q) => `(${q})`).join(' & '), cost, limit });
  };
  // Enough papers with all the words leave no room for the broader probes, which then never run.
  add(rarest, 'title_vector', Math.max(want, CANDIDATE_POOL));
  add(rarest, 'search_vector', Math.max(want, CANDIDATE_POOL));
  if (rarest.length > 2) {
    const top = rarest.slice(0, PAIR_TERMS);
    for (let i = 0; i < top.length; i++)
      for (let j = i + 1; j < top.length; j++) add([top[i]!, top[j]!], 'search_vector', PAIR_LIMIT);
  }
  if (rarest.length > 1) {
    // A word alone is a probe only where it is rare enough to say something; the common ones count in
    // ranking, and in the pairs and the all-words probes above.
    for (const term of rarest.filter((t) => t.docs <= SINGLE_POSTINGS).slice(0, SINGLE_TERMS)) {
      add([term], 'title_vector', TITLE_LIMIT);
      add([term], 'search_vector', TEXT_LIMIT);
    }
  }
  return list;
}

/**
 * Finds a bounded set of candidates, best probes first: papers whose title has all the terms, then
 * whose text has them all, then pairs of the rarest, then each rare term alone. The probes go in one
 * statement as a UNION ALL under a LIMIT, which Postgres runs in order and stops as soon as enough rows
 * came: a probe after that is never started, so a query of common words over a million papers costs
 * one or two index lookups, not a ranking of the table. A text probe leaves out the papers with the
 * same words in the title, which the title probe of those words finds.
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
    if (options.arxivIds.length === 0 && options.indexedFilters) {
      // A filter only an inverted index answers well (an author): that index finds the rows and
      // ranking orders them.
      await run([sql`select p.id from papers p where ${where} limit ${LISTING_LIMIT}`]);
    } else if (options.arxivIds.length === 0) {
      // Newest first: the newest papers through the date index, checked against the filters; only
      // when too few of them pass (a rare category), the filters' own indexes find the rest.
      await run([
        sql`select c.id from (
          (select p.id from (
             select * from papers where published_at is not null order by published_at desc limit ${NEWEST_WALK}
           ) p where ${where} limit ${LISTING_LIMIT})
          union all
          (select p.id from papers p where ${allOf(options.indexedConditions)}
           order by p.published_at desc nulls last limit ${LISTING_LIMIT})
        ) c limit ${LISTING_LIMIT}`,
      ]);
    }
    return [...found];
  }
  const broad = options.filters.length > 0 && (await estimatedShare(db, where)) >= BROAD_FILTERS;
  const all = probes(terms, options.required, options.want);
  const queue = all.filter(
    (probe) => probe.cost <= COMMON_POSTINGS || all.find((p) => p.column === probe.column) === probe,
  );
  if (queue.length > 0) {
    // One statement: every probe is bounded by its own limit.
    const selects = queue.map((probe) => {
      const { limit } = probe;
      const column = sql.raw(probe.column);
      const matches = sql`p.${column} @@ ${probe.tsquery}::tsquery`;
      const full = options.phrases ? `(${probe.tsquery}) & (${options.phrases})` : probe.tsquery;
      const notInTitle =
        probe.column === 'search_vector' ? sql`and not (p.title_vector @@ ${full}::tsquery)` : sql``;
      if (!options.phrases) {
        const indexed = sql`(select p.id from papers p where ${matches} ${notInTitle} and ${where} limit ${limit})`;
        // Filters most papers pass are checked on the probe's first matches rather than through their
        // own indexes: reading a broad category's or date range's postings to intersect them costs
        // more than the text match itself.
        const matching = sql`select * from papers p where ${matches} ${notInTitle} limit ${FILTER_POOL}`;
        const filtered = broad ? firstFrom(matching, where, indexed, limit) : indexed;
        if (probe.cost <= WALK_POSTINGS) return filtered;
        // Words in so many papers that their postings cost more than checking the newest papers one
        // by one: those come first.
        const newest = sql`select * from papers where published_at is not null order by published_at desc limit ${NEWEST_WALK}`;
        return firstFrom(newest, sql`${matches} ${notInTitle} and ${where}`, filtered, limit);
      }
      // Word positions are only in the rows, so the phrase is checked on a bounded number of them.
      return sql`(select q.id from (
          select p.id, p.${column} as v from papers p where ${matches} ${notInTitle} and ${where} limit ${PHRASE_POOL}
        ) q where q.v @@ ${options.phrases}::tsquery limit ${limit})`;
    });
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select c.id from (${sql.join(selects, sql` union all `)}) c limit ${CANDIDATE_POOL}`,
    );
    for (const row of rows) found.add(row.id);
  }
  return [...found];
}

/**
 * A probe answered from a bounded pool of rows first (`pool`, as `p`, checked against `condition`), and
 * through the indexes (`indexed`) only when under a tenth of what is wanted passed there: the condition
 * is then rare, which makes its index cheap to read. The count is evaluated once, before the index is
 * touched, and only when the pool alone did not give enough.
 */
function firstFrom(pool: SQL, condition: SQL, indexed: SQL, limit: number): SQL {
  const passing = sql`(${pool}) p where ${condition}`;
  return sql`((select p.id from ${passing} limit ${limit})
    union all
    (select i.id from ${indexed} i
      where (select count(*) from (select 1 from ${passing} limit ${limit}) w) * 10 < ${limit}))`;
}

/**
 * The share of the library that passes the conditions, as the planner estimates it from its statistics:
 * no rows are read. One EXPLAIN plans the filtered and the whole table side by side, so both estimates
 * come from the same statistics.
 */
async function estimatedShare(db: Db, where: SQL): Promise<number> {
  const [row] = await queryRows<{ 'QUERY PLAN': unknown }>(
    db,
    sql`explain (format json) select 1 from papers p where ${where} union all select 1 from papers p`,
  );
  const plan = row?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [
    { Plan: { Plans?: { 'Plan Rows': number }[] } },
  ];
  const [filtered, all] = parsed[0]?.Plan.Plans ?? [];
  if (!filtered || !all || all['Plan Rows'] <= 0) return 1;
  return filtered['Plan Rows'] / all['Plan Rows'];
}
