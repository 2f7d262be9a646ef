import { stem } from 'porter2';
import type { PaperText } from './paper-text.js';
import { MAX_WORD_LENGTH, textWords } from './query.js';

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

/**
 * What search knows of a folded word, worked out once: a library's words repeat, so most are looked up.
 * Vectors and the vocabulary read these rather than the words themselves.
 */
export interface Word {
  readonly text: string;
  /** Its lexeme, or null for a stop word. */
  readonly lexeme: string | null;
  /** Its lexeme as vectors hold it; null when it is not indexed (a stop word, or too long). */
  readonly stemmed: Lexeme | null;
  /** The word as it is, for fields kept unstemmed (names); null when too long; made when first cut from one. */
  plain: Lexeme | null | undefined;
  /** The count (see `wordCounts`) that last counted it, the paper, and how many papers it counted. */
  tally: number;
  paper: number;
  docs: number;
}

/** A lexeme with its UTF-8 bytes, and the positions the latest layout gathered for it. */
export class Lexeme {
  readonly bytes: Uint8Array;
  /** The layout these positions belong to; positions of an older one are stale. */
  layout = 0;
  /** How many positions the layout gathered, and the last one without its weight. */
  count = 0;
  last = 0;
  readonly positions: number[] = [];

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }
}

const knownWords = new Map<string, Word>();
/** One object per lexeme, so that a layout gathers each lexeme's positions in one place. */
const knownLexemes = new Map<string, Lexeme>();
/**
 * Beyond this many words both tables start afresh, between layouts (never during one). A word with its
 * lexeme takes about 500 bytes, so the tables stay under 30 MB; the words that recur most are back in
 * them within a few papers.
 */
const MAX_KNOWN = 50_000;

function forgetIfFull(): void {
  if (knownWords.size < MAX_KNOWN) return;
  knownWords.clear();
  knownLexemes.clear();
}

function lexemeObject(text: string): Lexeme | null {
  if (text.length > MAX_LEXEME_LENGTH) return null;
  let lexeme = knownLexemes.get(text);
  if (lexeme === undefined) {
    lexeme = new Lexeme(text);
    knownLexemes.set(text, lexeme);
  }
  return lexeme;
}

/**
 * The word's entry. Only words of plain letters are stemmed: numbers and words with digits (`h2o`,
 * `gpt4`) and other scripts are kept as they are.
 */
function wordOf(text: string): Word {
  let word = knownWords.get(text);
  if (word === undefined) {
    const lexeme = STOP_WORDS.has(text) ? null : /^[a-z]+$/.test(text) ? stem(text) : text;
    word = {
      text,
      lexeme,
      stemmed: lexeme === null ? null : lexemeObject(lexeme),
      plain: undefined,
      tally: 0,
      paper: 0,
      docs: 0,
    };
    knownWords.set(text, word);
  }
  return word;
}

/** The lexeme of one folded word, or null for a stop word. */
export function lexemeOf(word: string): string | null {
  forgetIfFull();
  return wordOf(word).lexeme;
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
  words: readonly Word[];
  weight: Weight;
  /** False keeps the words as they are, stop words included (names). */
  stemmed: boolean;
}

/** A field weight as the two bits Postgres stores beside a position: A = 3 … D = 0. */
const WEIGHT_BITS: Record<Weight, number> = { A: 3, B: 2, C: 1, D: 0 };
const WEIGHTS: readonly Weight[] = ['D', 'C', 'B', 'A'];

/** The lexemes of the latest layout, in order of first position, and which layout that is. */
const laidOut: Lexeme[] = [];
let layoutNumber = 0;

/**
 * A tsvector as laid out from a paper's words: each lexeme with its positions, stored as Postgres stores
 * them, `weight bits << 14 | position`, strictly ascending. The positions live in the lexemes themselves,
 * which the next layout reuses: read a layout before making another.
 */
export class VectorLayout {
  constructor(
    private readonly number: number,
    readonly size: number,
  ) {}

  lexeme(index: number): Lexeme {
    if (this.number !== layoutNumber) throw new Error('a vector layout was read after the next one was made');
    return laidOut[index]!;
  }

  /** Each lexeme's positions, as a map of its own. */
  toMap(): Map<string, number[]> {
    const map = new Map<string, number[]>();
    for (let i = 0; i < this.size; i++) {
      const lexeme = this.lexeme(i);
      map.set(lexeme.text, lexeme.positions.slice(0, lexeme.count));
    }
    return map;
  }
}

/**
 * Each lexeme of the fields with its positions, laid out as `to_tsvector(a) || to_tsvector(b)` lays them
 * out: positions count every word (stop words included) from 1, and each field continues where the
 * previous one's last lexeme was. A lexeme's positions after its 256th are left out, as Postgres does.
 * With `only`, other lexemes are passed over (their positions still count).
 */
function layOut(fields: readonly Field[], only?: ReadonlySet<string>): VectorLayout {
  const number = ++layoutNumber;
  let size = 0;
  let position = 0;
  for (const field of fields) {
    const weight = WEIGHT_BITS[field.weight] << 14;
    let last = position;
    for (const word of field.words) {
      position += 1;
      const lexeme = field.stemmed ? word.stemmed : word.plain!;
      if (lexeme === null) continue;
      last = Math.min(position, MAX_POSITION);
      if (only && !only.has(lexeme.text)) continue;
      if (lexeme.layout !== number) {
        lexeme.layout = number;
        lexeme.count = 1;
        lexeme.last = last;
        lexeme.positions[0] = weight | last;
        laidOut[size++] = lexeme;
      } else if (lexeme.count < MAX_POSITIONS_PER_LEXEME && lexeme.last < last) {
        // Past the last position every word is clamped to it, and a lexeme keeps it once.
        lexeme.positions[lexeme.count++] = weight | last;
        lexeme.last = last;
      }
    }
    position = last;
  }
  return new VectorLayout(number, size);
}

/** A lexeme quoted as Postgres writes it in tsquery and tsvector text. */
export function quoteLexeme(lexeme: string): string {
  if (!lexeme.includes("'") && !lexeme.includes('\\')) return `'${lexeme}'`;
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The words of each field of a paper, cut once for its vectors and the vocabulary. */
export interface PaperWords {
  title: readonly Word[];
  keywords: readonly Word[];
  abstract: readonly Word[];
  authors: readonly Word[];
}

export function paperWords(paper: PaperText): PaperWords {
  forgetIfFull();
  const author = (text: string) => {
    const word = wordOf(text);
    // Made now, with the paper's other words: the tables may start afresh before the next paper.
    if (word.plain === undefined) word.plain = lexemeObject(text);
    return word;
  };
  return {
    title: textWords(paper.title).map(wordOf),
    keywords: paper.keywords.flatMap(textWords).map(wordOf),
    abstract: textWords(paper.abstract).map(wordOf),
    authors: paper.authors.flatMap(textWords).map(author),
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

/** A paper's search vector: all its words, weighted by field. Read it before the next layout. */
export function searchVector(words: PaperWords): VectorLayout {
  return layOut(searchFields(words));
}

/** A paper's title vector: its title's words alone. Read it before the next layout. */
export function titleVector(words: PaperWords): VectorLayout {
  return layOut([{ words: words.title, weight: 'D', stemmed: true }]);
}

/** Where some lexemes sit in a paper's search vector: each occurrence's position and field weight. */
export type PositionMap = Map<string, { pos: number; field: Weight }[]>;

/**
 * The positions the paper's search vector holds for the given lexemes, worked out from its text exactly
 * as `searchVector` lays them out: ranking reads them from the text it loads anyway, rather than having
 * the database print whole vectors.
 */
export function lexemePositions(words: PaperWords, lexemes: ReadonlySet<string>): PositionMap {
  const found: PositionMap = new Map();
  for (const [lexeme, positions] of layOut(searchFields(words), lexemes).toMap()) {
    found.set(
      lexeme,
      positions.map((stored) => ({ pos: stored & MAX_POSITION, field: WEIGHTS[stored >> 14]! })),
    );
  }
  return found;
}

let tallyNumber = 0;

/**
 * For each word, how many of the papers have it, counted 1 for each new paper and 0 for each paper seen
 * again (whose words are added, but do not count). Words are those a query's words are cut into
 * (`textWords`), so a word typed in a search is in the vocabulary if and only if some paper has it. A word
 * repeated within one paper counts once; words longer than a query word may be are left out, since no
 * search can ask for them.
 */
export function wordCounts(
  newPapers: readonly PaperWords[],
  seenPapers: readonly PaperWords[] = [],
): Map<string, number> {
  const tally = ++tallyNumber;
  const counted: Word[] = [];
  let paper = 0;
  const count = (papers: readonly PaperWords[], increment: number) => {
    for (const { title, abstract, keywords, authors } of papers) {
      paper += 1;
      for (const field of [title, abstract, keywords, authors]) {
        for (const word of field) {
          if (word.paper === paper && word.tally === tally) continue;
          if (word.tally !== tally) {
            if (word.text.length > MAX_WORD_LENGTH) continue;
            word.tally = tally;
            word.docs = 0;
            counted.push(word);
          }
          word.paper = paper;
          word.docs += increment;
        }
      }
    }
  };
  count(newPapers, 1);
  count(seenPapers, 0);
  // Two entries of one word when the tables started afresh between papers: their counts add up.
  const counts = new Map<string, number>();
  for (const word of counted) counts.set(word.text, (counts.get(word.text) ?? 0) + word.docs);
  return counts;
}
