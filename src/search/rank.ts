import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.js';
import { quoteLexeme } from './lexemes.js';
import type { Term } from './terms.js';

/** Where a paper's words sit: lexeme → positions, each with its field weight (A title … D authors). */
export type PositionMap = Map<string, { pos: number; field: 'A' | 'B' | 'C' | 'D' }[]>;

/** One candidate with what ranking needs; its search vector is read once and scored here, not in SQL. */
export interface Candidate {
  id: string;
  words: PositionMap;
  hfUpvotes: number;
  publishedAt: Date | null;
}

/**
 * Loads the candidates' signals and, of their search vectors, the positions of the query's lexemes.
 * The vector is sent as text and only those lexemes are read from it: splitting it into rows in SQL
 * (`unnest`) builds arrays for every word of every abstract and costs several times more.
 */
export async function loadCandidates(db: Db, ids: string[], terms: Term[]): Promise<Candidate[]> {
  if (ids.length === 0) return [];
  const lexemes = [...new Set(terms.flatMap((t) => t.alternatives.flatMap((a) => a.lexemes)))];
  const rows = await queryRows<{
    id: string;
    vector: string | null;
    hf_upvotes: number;
    published_at: string | Date | null;
  }>(
    db,
    sql`
      select p.id, p.hf_upvotes, p.published_at, p.search_vector::text as vector
      from papers p
      where p.id = any(array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`,
  );
  return rows.map((r) => ({
    id: r.id,
    words: positionsIn(r.vector ?? '', lexemes),
    hfUpvotes: Number(r.hf_upvotes),
    publishedAt: r.published_at === null ? null : new Date(r.published_at),
  }));
}

/**
 * The positions of some lexemes in a tsvector's text (`'cache':3A,17C 'kv':2A,16C 'zhang':40`; no
 * letter is weight D). A lexeme is quoted as Postgres prints it, and found only where an entry starts.
 */
export function positionsIn(vector: string, lexemes: string[]): PositionMap {
  const words: PositionMap = new Map();
  for (const lexeme of lexemes) {
    const entry = quoteLexeme(lexeme);
    // An entry starts the text or follows a space; `'a'` followed by another quote is the start of a
    // longer lexeme with a quote in it (`'a''b'`).
    let at = vector.indexOf(entry);
    while (at >= 0 && ((at > 0 && vector[at - 1] !== ' ') || vector[at + entry.length] === "'"))
      at = vector.indexOf(entry, at + 1);
    if (at < 0) continue;
    const after = at + entry.length;
    const list = vector[after] === ':' ? (vector.slice(after + 1).match(/^[0-9A-D,]+/)?.[0] ?? '') : '';
    words.set(
      lexeme,
      list
        .split(',')
        .filter(Boolean)
        .map((p) => {
          const last = p[p.length - 1] ?? '';
          const field = (/[A-D]/.test(last) ? last : 'D') as Field;
          return { pos: Number.parseInt(p, 10), field };
        }),
    );
  }
  return words;
}

type Field = 'A' | 'B' | 'C' | 'D';
type Occurrence = { pos: number; field: Field };

/** Where a term occurs in a paper: positions of any alternative (all its lexemes present). */
export function occurrences(words: PositionMap, term: Term): Occurrence[] {
  const found: Occurrence[] = [];
  for (const alt of term.alternatives) {
    const perLexeme = alt.lexemes.map((lexeme) => words.get(lexeme) ?? []);
    if (perLexeme.every((p) => p.length > 0)) found.push(...(perLexeme[0] ?? []));
  }
  return found;
}

/** The parts of a text score, each in [0, 1]; kept apart so tests and benchmarks can inspect them. */
export interface TextSignals {
  /** Share of the query's weight (rare words weigh more) found anywhere / in the title / in the body. */
  coverage: number;
  titleCoverage: number;
  bodyCoverage: number;
  /** Share of neighbouring query words found side by side in the title / in the body. */
  titleProximity: number;
  bodyProximity: number;
  /** Saturated term frequency in the body (BM25-like, without length normalisation). */
  frequency: number;
}

const inTitle = (o: Occurrence) => o.field === 'A';
const inBody = (o: Occurrence) => o.field === 'B' || o.field === 'C';

export function textSignals(words: PositionMap, terms: Term[]): TextSignals {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) {
    return {
      coverage: 0,
      titleCoverage: 0,
      bodyCoverage: 0,
      titleProximity: 0,
      bodyProximity: 0,
      frequency: 0,
    };
  }
  const found = terms.map((t) => occurrences(words, t));
  const share = (test: (occ: Occurrence[]) => boolean) =>
    terms.reduce((sum, t, i) => sum + (test(found[i] ?? []) ? t.weight : 0), 0) / total;
  const frequency =
    terms.reduce((sum, t, i) => {
      const tf = (found[i] ?? []).filter(inBody).length;
      return sum + (t.weight * tf) / (tf + 1.5);
    }, 0) / total;
  return {
    coverage: share((occ) => occ.length > 0),
    titleCoverage: share((occ) => occ.some(inTitle)),
    bodyCoverage: share((occ) => occ.some(inBody)),
    titleProximity: proximity(found, terms, inTitle),
    bodyProximity: proximity(found, terms, inBody),
    frequency,
  };
}

/**
 * Share of neighbouring query words that stand together in one field: in the query's order with at most
 * one extra word between (`image synthesis` in `image and video synthesis`), or swapped.
 */
function proximity(found: Occurrence[][], terms: Term[], field: (o: Occurrence) => boolean): number {
  if (terms.length < 2) return 0;
  let together = 0;
  for (let i = 0; i + 1 < terms.length; i++) {
    const a = (found[i] ?? []).filter(field);
    const b = (found[i + 1] ?? []).filter(field);
    const gap = (terms[i + 1]?.position ?? 0) - (terms[i]?.position ?? 0);
    const close = (x: Occurrence, y: Occurrence) =>
      (y.pos - x.pos >= 1 && y.pos - x.pos <= gap + 1) || (x.pos - y.pos >= 1 && x.pos - y.pos <= 2);
    if (a.some((x) => b.some((y) => close(x, y)))) together++;
  }
  return together / (terms.length - 1);
}

/**
 * The text score, in [0, 1]. The title says what a paper is about, so its words count most there,
 * more again when they stand together as typed; the body confirms (coverage, proximity, frequency).
 * A paper that merely mentions the words has them scattered through a long abstract.
 */
export function textScore(s: TextSignals): number {
  return (
    0.15 * s.coverage +
    0.35 * s.titleCoverage +
    0.1 * s.bodyCoverage +
    0.15 * s.titleProximity +
    0.1 * s.bodyProximity +
    0.15 * s.frequency
  );
}

/** At most 0.03 in all: enough to order near-equal matches, never enough to lift a worse match over a better one. */
export function popularityBoost(hfUpvotes: number, teamVotes: number): number {
  const hf = Math.min(1, Math.log1p(Math.max(0, hfUpvotes)) / Math.log1p(500));
  const team = Math.min(1, Math.log1p(Math.max(0, teamVotes)) / Math.log1p(5));
  return 0.01 * hf + 0.02 * team;
}
