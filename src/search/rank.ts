import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { VIEW_COLUMNS, type ViewRow } from '../../db/repositories/papers.js';
import { papers } from '../../db/schema.js';
import { lexemePositions, type PositionMap, paperWords, type Weight } from './lexemes.js';
import type { Term } from './terms.js';

/** One candidate with what ranking needs, and how it is shown if it makes the page. */
export interface Candidate {
  id: string;
  words: PositionMap;
  hfUpvotes: number;
  publishedAt: Date | null;
  /** What the paper's view is made of: only the page's few are turned into views. */
  row: ViewRow;
  /** Words in each field, for length normalisation. */
  lengths: FieldLengths;
}

/**
 * Loads the candidates, with the positions of the query's lexemes in each. The positions are worked
 * out from the paper's text, with the same analysis that wrote its search vector: the text is loaded
 * anyway to show the paper, while having the database print every candidate's whole vector cost more
 * than the index probes that found them. The page's views are made from the same rows, so it needs no
 * further read.
 */
export async function loadCandidates(db: Db, ids: string[], terms: Term[]): Promise<Candidate[]> {
  if (ids.length === 0) return [];
  const lexemes = new Set(terms.flatMap((t) => t.alternatives.flatMap((a) => a.lexemes)));
  const rows = await db
    .select({ ...VIEW_COLUMNS, keywords: papers.keywords })
    .from(papers)
    .where(inArray(papers.id, ids));
  return rows.map((row) => {
    const text = paperWords(row);
    return {
      id: row.id,
      words: lexemePositions(text, lexemes),
      hfUpvotes: row.hfUpvotes,
      publishedAt: row.publishedAt,
      row,
      lengths: {
        A: text.title.length,
        B: text.keywords.length,
        C: text.abstract.length,
        D: text.authors.length,
      },
    };
  });
}

export type Occurrence = { pos: number; field: Weight };

/**
 * Where a term occurs in a paper: the positions of any of its alternatives. An alternative of several
 * lexemes (an acronym's long form) occurs where they stand in order, each within a few words of the one
 * before (`mixture of experts`), not merely somewhere in the paper.
 */
export function occurrences(words: PositionMap, term: Term): Occurrence[] {
  const found: Occurrence[] = [];
  for (const alt of term.alternatives) {
    const [first = [], ...rest] = alt.lexemes.map((lexeme) => words.get(lexeme) ?? []);
    found.push(...first.filter((start) => followedBy(start, rest)));
  }
  return found;
}

/** Most words a long form's lexemes stand apart (stop words between them are not indexed). */
const LONG_FORM_GAP = 3;

function followedBy(start: Occurrence, rest: Occurrence[][]): boolean {
  let at = start;
  for (const positions of rest) {
    const next = positions.find(
      (o) => o.field === at.field && o.pos > at.pos && o.pos - at.pos <= LONG_FORM_GAP,
    );
    if (!next) return false;
    at = next;
  }
  return true;
}

const inTitle = (o: Occurrence) => o.field === 'A';
const inBody = (o: Occurrence) => o.field === 'B' || o.field === 'C';

/**
 * Share of neighbouring query words that stand together in one field: in the query's order with at most
 * one extra word between (`image synthesis` in `image and video synthesis`), or swapped.
 */
function proximity(found: Occurrence[][], terms: readonly Term[], field: (o: Occurrence) => boolean): number {
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

/** At most 0.03 in all: enough to order near-equal matches, never enough to lift a worse match over a better one. */
export function popularityBoost(hfUpvotes: number, teamVotes: number): number {
  const hf = Math.min(1, Math.log1p(Math.max(0, hfUpvotes)) / Math.log1p(500));
  const team = Math.min(1, Math.log1p(Math.max(0, teamVotes)) / Math.log1p(5));
  return 0.01 * hf + 0.02 * team;
}

/** How many words each field of a paper holds (title A, keywords B, abstract C, authors D). */
export type FieldLengths = Record<Weight, number>;

/**
 * BM25F's parameters: per field a weight (how much one occurrence there says) and a length
 * normalisation (1: a long field's words count as much less as it is longer; 0: not at all), and the
 * term-frequency saturation `k1` shared by all fields.
 */
export interface Bm25fParameters {
  weight: Record<Weight, number>;
  b: Record<Weight, number>;
  k1: number;
}

export const BM25F: Bm25fParameters = {
  weight: { A: 3, B: 1.5, C: 1, D: 2 },
  b: { A: 0.3, B: 0.3, C: 0.75, D: 0.3 },
  k1: 1.2,
};

const FIELDS: readonly Weight[] = ['A', 'B', 'C', 'D'];

/**
 * The BM25F score of one paper for the query's terms, divided by what a paper matching every term
 * would reach (the sum of the terms' weights), so it lies in [0, 1). Each term's occurrences are
 * weighted by field and normalised by the field's length against the average (`average`), summed into
 * one pseudo-frequency, and saturated once: a word repeated through an abstract counts, but never as
 * much as a second query word. Rare words weigh more (the term's weight is its inverse document
 * frequency).
 */
export function bm25f(
  found: readonly Occurrence[][],
  terms: readonly Term[],
  lengths: FieldLengths,
  average: FieldLengths,
  p: Bm25fParameters = BM25F,
): number {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) return 0;
  const norm = {} as Record<Weight, number>;
  for (const f of FIELDS) {
    const ratio = average[f] > 0 ? lengths[f] / average[f] : 1;
    norm[f] = p.weight[f] / (1 - p.b[f] + p.b[f] * ratio);
  }
  let score = 0;
  terms.forEach((term, i) => {
    let tf = 0;
    for (const o of found[i] ?? []) tf += norm[o.field];
    if (tf > 0) score += (term.weight * tf) / (p.k1 + tf);
  });
  return score / total;
}

/** The mean of each field's length over some papers (0 where none has the field). */
export function averageLengths(all: readonly FieldLengths[]): FieldLengths {
  const sum: FieldLengths = { A: 0, B: 0, C: 0, D: 0 };
  for (const lengths of all) for (const f of FIELDS) sum[f] += lengths[f];
  const n = Math.max(1, all.length);
  return { A: sum.A / n, B: sum.B / n, C: sum.C / n, D: sum.D / n };
}

/**
 * How well a paper answers the terms, in about [0, 1]: BM25F over its fields, with bonuses for the
 * query's words standing together as typed, in the title above all.
 */
export function relevance(
  paper: Pick<Candidate, 'words' | 'lengths'>,
  terms: readonly Term[],
  average: FieldLengths,
): number {
  const found = terms.map((t) => occurrences(paper.words, t));
  return (
    bm25f(found, terms, paper.lengths, average) +
    0.3 * proximity(found, terms, inTitle) +
    0.15 * proximity(found, terms, inBody)
  );
}
