import { stem } from 'porter2';
import { textWords } from './query.js';
import type { PaperText } from './vocabulary.js';

/**
 * How search turns text into the lexemes it indexes and matches, in one place for both sides: papers
 * when they are stored, queries when they are asked. Words are cut by `textWords` (folded: lower case,
 * no accents, no TeX markup), English stop words are dropped, and words of letters are reduced to their
 * Porter2 stem (`distillation` → `distil`), the stemmer of Postgres' `english` configuration. Doing this
 * here rather than with `to_tsvector` keeps text parsing, the costliest part of storing a paper, out of
 * the database.
 *
 * A change to the analysis ships with a migration that clears the stored vectors (`search_vector = null`);
 * `indexPapers` rebuilds them when the bot starts.
 */

/** Postgres' `english` stop words (the Snowball list): too common to index or search on. */
const STOP_WORDS = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her ' +
    'hers herself it its itself they them their theirs themselves what which who whom this that these ' +
    'those am is are was were be been being have has had having do does did doing a an the and but if or ' +
    'because as until while of at by for with about against between into through during before after ' +
    'above below to from up down in out on off over under again further then once here there when where ' +
    'why how all any both each few more most other some such no nor not only own same so than too very s ' +
    't can will just don should now'
  ).split(' '),
);

/** Lexemes already worked out (null: a stop word): a library's words repeat, so most are looked up. */
const known = new Map<string, string | null>();
const MAX_KNOWN = 200_000;

/**
 * The lexeme of one folded word, or null for a stop word. Only words of plain letters are stemmed:
 * numbers and words with digits (`h2o`, `gpt4`) and other scripts are kept as they are.
 */
export function lexemeOf(word: string): string | null {
  let lexeme = known.get(word);
  if (lexeme === undefined) {
    lexeme = STOP_WORDS.has(word) ? null : /^[a-z]+$/.test(word) ? stem(word) : word;
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(word, lexeme);
  }
  return lexeme;
}

/** The lexemes of a text in order, stop words dropped (for a phrase query, see `phraseLexemes`). */
export function textLexemes(text: string): string[] {
  return textWords(text).flatMap((w) => lexemeOf(w) ?? []);
}

/**
 * A phrase as lexemes with the distance from the previous one: `state of the art` → state (0), art (3).
 * Stop words are not indexed but keep their place, as in the stored positions.
 */
function phraseLexemes(words: string[]): { lexeme: string; gap: number }[] {
  const out: { lexeme: string; gap: number }[] = [];
  let gap = 0;
  for (const word of words) {
    gap += 1;
    const lexeme = lexemeOf(word);
    if (lexeme === null) continue;
    out.push({ lexeme, gap: out.length === 0 ? 0 : gap });
    gap = 0;
  }
  return out;
}

/** A phrase of folded words as tsquery text (`'state' <3> 'art'`), or null when it is all stop words. */
export function phraseQuery(words: string[]): string | null {
  const parts = phraseLexemes(words);
  if (parts.length === 0) return null;
  return parts.map((p, i) => (i === 0 ? '' : `<${p.gap}> `) + quoteLexeme(p.lexeme)).join(' ');
}

/** Field weights of the search vector: title A > keywords B > abstract C > authors D. */
export type Weight = 'A' | 'B' | 'C' | 'D';

/**
 * Postgres keeps positions up to this value (larger ones are clamped to it) and this many per lexeme.
 * The largest position is also the mask of a stored position's bits beside its weight.
 */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;
/** Postgres refuses a lexeme longer than this many bytes; nothing searches for one that long anyway. */
const MAX_LEXEME_LENGTH = 500;

interface Field {
  words: string[];
  weight: Weight;
  /** False keeps the words as they are, stop words included (names). */
  stemmed: boolean;
}

/** A field weight as the two bits Postgres stores beside a position: A = 3 … D = 0. */
const WEIGHT_BITS: Record<Weight, number> = { A: 3, B: 2, C: 1, D: 0 };
const WEIGHTS: readonly Weight[] = ['D', 'C', 'B', 'A'];

/**
 * Each lexeme of the fields with its positions, laid out as `to_tsvector(a) || to_tsvector(b)` lays them
 * out: positions count every word (stop words included) from 1, and each field continues where the
 * previous one's last lexeme was. A position is stored as Postgres stores it, `weight bits << 14 |
 * position`, strictly ascending per lexeme; a lexeme's positions after its 256th are left out, as
 * Postgres does. With `only`, other lexemes are passed over (their positions still count).
 */
function layOut(fields: Field[], only?: ReadonlySet<string>): VectorPositions {
  const entries = new Map<string, number[]>();
  let position = 0;
  for (const field of fields) {
    const weight = WEIGHT_BITS[field.weight];
    let last = position;
    for (const word of field.words) {
      position += 1;
      const lexeme = field.stemmed ? lexemeOf(word) : word;
      if (lexeme === null || lexeme.length > MAX_LEXEME_LENGTH) continue;
      last = Math.min(position, MAX_POSITION);
      if (only && !only.has(lexeme)) continue;
      const positions = entries.get(lexeme);
      if (positions === undefined) entries.set(lexeme, [(weight << 14) | last]);
      // Past the last position every word is clamped to it, and a lexeme keeps it once.
      else if (positions.length < MAX_POSITIONS_PER_LEXEME && (positions.at(-1)! & MAX_POSITION) < last)
        positions.push((weight << 14) | last);
    }
    position = last;
  }
  return entries;
}

/** A lexeme quoted as Postgres writes it in tsquery and tsvector text. */
export function quoteLexeme(lexeme: string): string {
  if (!lexeme.includes("'") && !lexeme.includes('\\')) return `'${lexeme}'`;
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The words of each field of a paper, cut once for both its vectors and the vocabulary. */
export interface PaperWords {
  title: string[];
  keywords: string[];
  abstract: string[];
  authors: string[];
}

export function paperWords(paper: PaperText): PaperWords {
  return {
    title: textWords(paper.title),
    keywords: paper.keywords.flatMap(textWords),
    abstract: textWords(paper.abstract),
    authors: paper.authors.flatMap(textWords),
  };
}

/** The fields of a paper's search vector, in order. */
function searchFields(words: PaperWords): Field[] {
  return [
    { words: words.title, weight: 'A', stemmed: true },
    { words: words.keywords, weight: 'B', stemmed: true },
    { words: words.abstract, weight: 'C', stemmed: true },
    { words: words.authors, weight: 'D', stemmed: false },
  ];
}

/** The lexemes of a tsvector, each with its positions stored as `weight bits << 14 | position`. */
export type VectorPositions = Map<string, number[]>;

/** A paper's two stored vectors: all its weighted words, and its title's alone. */
export function searchVectors(words: PaperWords): {
  searchVector: VectorPositions;
  titleVector: VectorPositions;
} {
  return {
    searchVector: layOut(searchFields(words)),
    titleVector: layOut([{ words: words.title, weight: 'D', stemmed: true }]),
  };
}

/** Where some lexemes sit in a paper's search vector: each occurrence's position and field weight. */
export type PositionMap = Map<string, { pos: number; field: Weight }[]>;

/**
 * The positions the paper's search vector holds for the given lexemes, worked out from its text exactly
 * as `searchVectors` writes them: ranking reads them from the text it loads anyway, rather than having
 * the database print whole vectors.
 */
export function lexemePositions(words: PaperWords, lexemes: ReadonlySet<string>): PositionMap {
  const found: PositionMap = new Map();
  for (const [lexeme, positions] of layOut(searchFields(words), lexemes)) {
    found.set(
      lexeme,
      positions.map((stored) => ({ pos: stored & MAX_POSITION, field: WEIGHTS[stored >> 14]! })),
    );
  }
  return found;
}
