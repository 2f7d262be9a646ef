import type { PositionMap } from './lexemes.js';
import { occurrences } from './rank.js';
import type { Term } from './terms.js';

/** Words that must stand together: each term at its offset from the first (stop words keep their place). */
export type Phrase = { term: Term; offset: number }[];

/** A phrase from its words, skipping the ones without a term (stop words). */
export function toPhrase(words: string[], termOf: (word: string) => Term | undefined): Phrase {
  return words.flatMap((word, offset) => {
    const term = termOf(word);
    return term ? [{ term, offset }] : [];
  });
}

/** A term that matches exactly these stems, for words that are only checked, never ranked. */
export function exactTerm(word: string, lexemes: string[]): Term | undefined {
  if (lexemes.length === 0) return undefined;
  return {
    word,
    position: 0,
    alternatives: [{ lexemes }],
    tsquery: '',
    weight: 0,
    docs: 0,
    correctedTo: [],
    expandedTo: [],
  };
}

/** True when the paper has the phrase's words side by side, in order. An empty phrase asks nothing. */
export function containsPhrase(words: PositionMap, phrase: Phrase): boolean {
  const [first, ...rest] = phrase;
  if (!first) return true;
  const at = rest.map((part) => ({
    shift: part.offset - first.offset,
    positions: new Set(occurrences(words, part.term).map((o) => o.pos)),
  }));
  return occurrences(words, first.term).some((start) =>
    at.every(({ shift, positions }) => positions.has(start.pos + shift)),
  );
}
