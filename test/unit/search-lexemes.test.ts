import { describe, expect, it } from 'vitest';
import { paperWords, searchVector, titleVector, wordCounts } from '../../src/search/lexemes.js';

const at = (pos: number, weight: 'A' | 'C' | 'D') => ({ A: 3, C: 1, D: 0 })[weight] * 2 ** 14 + pos;

describe('laying out vectors', () => {
  const paper = {
    title: 'Graph kernels',
    abstract: 'Kernels on graphs.',
    keywords: [],
    authors: ['Graph Smith'],
  };

  it('gives each lexeme once, a name beside the same stemmed word included', () => {
    const vector = searchVector(paperWords(paper));
    expect(vector.size).toBe(3);
    expect(vector.toMap()).toEqual(
      new Map([
        ['graph', [at(1, 'A'), at(5, 'C'), at(6, 'D')]],
        ['kernel', [at(2, 'A'), at(3, 'C')]],
        ['smith', [at(7, 'D')]],
      ]),
    );
  });

  it('refuses to read a layout once the next one is made', () => {
    const words = paperWords(paper);
    const search = searchVector(words);
    titleVector(words);
    expect(() => search.toMap()).toThrow(/after the next one/);
  });

  it('keeps vectors and counts whole when the word tables start afresh between papers', () => {
    const before = paperWords(paper);
    // More distinct words than the tables keep: they start afresh before the next paper is cut.
    const many = paperWords({
      title: 'Many',
      abstract: Array.from({ length: 50_001 }, (_, i) => `w${i}`).join(' '),
      keywords: [],
      authors: [],
    });
    const after = paperWords(paper);
    // They did: the same word is a new entry.
    expect(after.title[0]).not.toBe(before.title[0]);
    const expected = searchVector(after).toMap();
    const vector = searchVector(before);
    expect(vector.size).toBe(3);
    expect(vector.toMap()).toEqual(expected);
    const counts = wordCounts([before, many, after]);
    expect(counts.get('graph')).toBe(2);
    expect(counts.get('kernels')).toBe(2);
    expect(counts.get('w50000')).toBe(1);
  });
});
