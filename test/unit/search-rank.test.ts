import { describe, expect, it } from 'vitest';
import {
  lexemePositions,
  type PositionMap,
  paperWords,
  searchVector,
  titleVector,
} from '../../src/search/lexemes.js';
import { containsPhrase, toPhrase } from '../../src/search/phrase.js';
import { withoutPage } from '../../src/search/present.js';
import { occurrences, popularityBoost, relevance } from '../../src/search/rank.js';
import { editDistance, type Term } from '../../src/search/terms.js';

const term = (word: string, position: number, weight = 1): Term => ({
  word,
  position,
  alternatives: [{ lexemes: [word] }],
  tsquery: `'${word}'`,
  weight,
  docs: 1,
  correctedTo: [],
  expandedTo: [],
});

/** A paper's words as a position map: title words get field A, abstract words C. */
function paper(title: string, abstract: string): PositionMap {
  const map: PositionMap = new Map();
  const add = (text: string, field: 'A' | 'C', offset: number) =>
    text.split(' ').forEach((w, i) => {
      map.set(w, [...(map.get(w) ?? []), { pos: offset + i + 1, field }]);
    });
  add(title, 'A', 0);
  add(abstract, 'C', 100);
  return map;
}

/** How a paper ranks for the terms, its fields of the lengths their texts have. */
function score(title: string, abstract: string, terms: Term[]): number {
  const lengths = { A: title.split(' ').length, B: 0, C: abstract ? abstract.split(' ').length : 0, D: 0 };
  return relevance({ words: paper(title, abstract), lengths }, terms, { A: 8, B: 0, C: 100, D: 0 });
}

describe('ranking signals', () => {
  const terms = [term('kv', 1), term('cache', 2), term('compress', 3, 2)];

  it('count an acronym’s long form where its words stand together, not scattered through the text', () => {
    const llm: Term = {
      ...term('llm', 1),
      alternatives: [{ lexemes: ['llm'] }, { lexemes: ['larg', 'languag', 'model'], expansion: true }],
      expandedTo: ['large language models'],
    };
    const together = occurrences(paper('larg languag model agent', 'other'), llm);
    const apart = 'larg agent reading other languag skill sets for a model';
    const scattered = occurrences(paper(apart, 'other'), llm);
    expect(together.some((o) => o.field === 'A')).toBe(true);
    expect(scattered).toEqual([]);
  });

  it('ranks a paper with every word above one with most, and title matches above abstract ones', () => {
    const all = score('kv cache compress', 'kv cache compress', terms);
    const most = score('kv cache', 'kv cache', terms);
    const abstractOnly = score('other', 'kv cache compress', terms);
    expect(all).toBeGreaterThan(most);
    expect(all).toBeGreaterThan(abstractOnly);
  });

  it('prefers the words standing together as typed over the same words scattered', () => {
    const together = score('kv cache compress x y z', '', terms);
    const scattered = score('compress x kv y z cache', '', terms);
    expect(together).toBeGreaterThan(scattered);
  });

  it('weighs a rare word above a common one', () => {
    const rare = score('compress', '', terms);
    const common = score('kv', '', terms);
    expect(rare).toBeGreaterThan(common);
  });

  it('never lets popularity lift a paper over one with a clearly better text match', () => {
    const better = score('kv cache compress', '', terms);
    const worse = score('kv cache', '', terms);
    expect(worse + popularityBoost(100_000, 1_000)).toBeLessThan(better + popularityBoost(0, 0));
    expect(popularityBoost(50, 2)).toBeGreaterThan(popularityBoost(0, 0));
  });
});

describe('typo distance', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('keyformr', 'keyformer')).toBe(1);
    expect(editDistance('difusion', 'diffusion')).toBe(1);
    expect(editDistance('cat', 'dog')).toBe(3);
  });
});

describe('paging commands', () => {
  it('drops the page from a query so buttons can set their own', () => {
    expect(withoutPage('kv cache page:3 sort:date')).toBe('kv cache sort:date');
  });
});

describe('phrases', () => {
  it('requires the words side by side and in order, stop words keeping their place', () => {
    const heavy = term('heavi', 1);
    const hitter = term('hitter', 2);
    const words = paper('heavi hitter oracl', 'the hitter is heavi');
    expect(
      containsPhrase(
        words,
        toPhrase(['heavi', 'hitter'], (w) => [heavy, hitter].find((t) => t.word === w)),
      ),
    ).toBe(true);
    expect(
      containsPhrase(
        words,
        toPhrase(['hitter', 'heavi'], (w) => [heavy, hitter].find((t) => t.word === w)),
      ),
    ).toBe(false);
    const oracle = term('oracl', 3);
    expect(
      containsPhrase(
        words,
        toPhrase(['heavi', 'of', 'oracl'], (w) => [heavy, oracle].find((t) => t.word === w)),
      ),
    ).toBe(true);
  });
});

describe('positions of words in a paper', () => {
  const words = paperWords({
    title: 'The KV cache',
    keywords: ['cache eviction'],
    abstract: 'A cache of keys.',
    authors: ["O'Brien"],
  });

  it('counts every word, stop words too, each field after the last, with its field', () => {
    const found = lexemePositions(words, new Set(['kv', 'cach', 'evict', 'key', 'brien', 'absent']));
    expect(Object.fromEntries(found)).toEqual({
      kv: [{ pos: 2, field: 'A' }],
      cach: [
        { pos: 3, field: 'A' },
        { pos: 4, field: 'B' },
        { pos: 7, field: 'C' },
      ],
      evict: [{ pos: 5, field: 'B' }],
      key: [{ pos: 9, field: 'C' }],
      brien: [{ pos: 11, field: 'D' }],
    });
  });

  it('writes the same positions into the stored vector, names unstemmed', () => {
    // A position as Postgres stores it: the field's weight in the top two bits.
    const at = (pos: number, weight: 'A' | 'B' | 'C' | 'D' = 'D') =>
      ({ A: 3, B: 2, C: 1, D: 0 })[weight] * 2 ** 14 + pos;
    expect(searchVector(words).toMap()).toEqual(
      new Map([
        ['kv', [at(2, 'A')]],
        ['cach', [at(3, 'A'), at(4, 'B'), at(7, 'C')]],
        ['evict', [at(5, 'B')]],
        ['key', [at(9, 'C')]],
        ['o', [at(10)]],
        ['brien', [at(11)]],
      ]),
    );
    expect(titleVector(words).toMap()).toEqual(
      new Map([
        ['kv', [at(2)]],
        ['cach', [at(3)]],
      ]),
    );
  });
});
