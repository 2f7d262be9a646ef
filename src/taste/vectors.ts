import { lexemeOf, textLexemes } from '../search/lexemes.js';
import { textWords } from '../search/query.js';

/** The text a paper's taste is read from. */
export interface TasteText {
  title: string;
  abstract: string;
  keywords: string[];
}

/** A paper's terms (stemmed lexemes, stop words left out) with their weighted counts: title words count double. */
export function termCounts(paper: TasteText): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const lexeme of textLexemes(text)) {
      // A lone letter (the k of top-k, the x of 2x) names nothing a paper is about.
      if (lexeme.length > 1) counts.set(lexeme, (counts.get(lexeme) ?? 0) + weight);
    }
  };
  add(paper.title, 2);
  add(paper.keywords.join(' '), 1.5);
  add(paper.abstract, 1);
  return counts;
}

/** A sparse vector: term → weight, of length 1. */
export type Vector = Map<string, number>;

/**
 * Inverse document frequencies over a set of papers' terms: common words weigh little, rare ones much.
 * A word none of them has gets the weight of one seen once (`unseen`).
 */
export class Idf {
  private readonly idf = new Map<string, number>();
  readonly unseen: number;

  constructor(docs: Iterable<Map<string, number>>, stored?: Iterable<[string, number]>) {
    if (stored) {
      for (const [term, weight] of stored) this.idf.set(term, weight);
      this.unseen = Math.max(0, ...this.idf.values());
      return;
    }
    const df = new Map<string, number>();
    let n = 0;
    for (const doc of docs) {
      n++;
      for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    }
    for (const [term, count] of df) this.idf.set(term, Math.log((n + 1) / (count + 0.5)));
    this.unseen = Math.log((n + 1) / 1.5);
  }

  of(term: string): number {
    return this.idf.get(term) ?? this.unseen;
  }

  entries(): IterableIterator<[string, number]> {
    return this.idf.entries();
  }

  /** Log-scaled counts times idf, normalised to length 1. */
  vector(counts: Map<string, number>): Vector {
    const v: Vector = new Map();
    let norm = 0;
    for (const [term, count] of counts) {
      const w = (1 + Math.log(count)) * this.of(term);
      if (w <= 0) continue;
      v.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [term, w] of v) v.set(term, w / norm);
    return v;
  }
}

/** Cosine of two unit vectors. */
export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, w] of small) dot += w * (large.get(term) ?? 0);
  return dot;
}

/** The terms two vectors share, the heaviest first. */
export function sharedTerms(a: Vector, b: Vector, count: number): string[] {
  return [...a]
    .filter(([term]) => b.has(term))
    .map(([term, w]) => [term, w * b.get(term)!] as const)
    .sort((x, y) => y[1] - x[1])
    .slice(0, count)
    .map(([term]) => term);
}

/** A word as the paper writes it, for each of its terms: `diffus` → `diffusion`. */
export function surfaceWords(paper: TasteText): Map<string, string> {
  const words = new Map<string, string>();
  for (const word of textWords(`${paper.title} ${paper.keywords.join(' ')} ${paper.abstract}`)) {
    const lexeme = lexemeOf(word);
    if (lexeme !== null && !words.has(lexeme)) words.set(lexeme, word);
  }
  return words;
}
