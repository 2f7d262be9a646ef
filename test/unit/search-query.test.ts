import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import {
  foldText,
  MAX_QUERY_WORDS,
  parseDateValue,
  parseSearchQuery,
  textWords,
} from '../../src/search/query.js';

const NOW = new Date('2026-11-26T10:00:00Z');
const parse = (q: string) => parseSearchQuery(q, NOW);

describe('search query language', () => {
  it('cuts plain ASCII text into the same words as any other text', () => {
    expect(textWords('H$_2$O: Heavy-Hitter Oracle, 2x faster')).toEqual([
      'h2o',
      'heavy',
      'hitter',
      'oracle',
      '2x',
      'faster',
    ]);
    expect(textWords('Schrödinger Bridges')).toEqual(['schrodinger', 'bridges']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), (text) => {
        expect(textWords(text)).toEqual(foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []);
      }),
    );
  });

  it('reads words, phrases, exclusions and every operator', () => {
    const q = parse(
      'kv cache "heavy hitter" -survey -"image generation" author:"Yann LeCun" cat:cs.cl since:2024-06 before:2025 sort:date page:3',
    );
    expect(q.words).toEqual(['kv', 'cache', 'heavy', 'hitter']);
    expect(q.phrases).toEqual([['heavy', 'hitter']]);
    expect(q.excluded).toEqual([['survey'], ['image', 'generation']]);
    expect(q.authors).toEqual([['yann', 'lecun']]);
    expect(q.categories).toEqual(['cs.cl']);
    expect(q.since?.toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(q.before?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(q.sort).toBe('date');
    expect(q.page).toBe(3);
  });

  it('folds case, accents and TeX so queries match titles as indexed', () => {
    expect(parse('H$_2$O Schrödinger MedS$^3$').words).toEqual(['h2o', 'schrodinger', 'meds3']);
    expect(foldText('Über')).toBe('uber');
  });

  it('reads relative ages and calendar dates, and rejects impossible ones', () => {
    expect(parseDateValue('7d', NOW)?.toISOString()).toBe('2026-11-19T10:00:00.000Z');
    expect(parseDateValue('2024-02-30', NOW)).toBeNull();
    expect(parseDateValue('yesterday-ish', NOW)).toBeNull();
  });

  it('recognises an arXiv id typed as a word', () => {
    expect(parse('arXiv:2306.14048v2').arxivIds).toEqual(['2306.14048']);
  });

  it('says what is wrong with an operator value and what would work', () => {
    expect(() => parse('since:yesterday-ish')).toThrow(/since:2024-06/);
    expect(() => parse('author:')).toThrow(/author:hinton/);
    expect(() => parse('sort:best')).toThrow(/sort:relevance/);
    expect(() => parse('page:0')).toThrow(/page:1/);
    expect(() => parse('cat:"cs CL"')).toThrow(/cat:cs.CL/);
    expect(() => parse('since:2025 before:2024')).toThrow(/before/);
  });

  it('searches the words of an unclosed quote instead of failing', () => {
    const q = parse('"kv cache');
    expect(q.words).toEqual(['kv', 'cache']);
    expect(q.phrases).toEqual([]);
    expect(q.notes.join()).toMatch(/quote was not closed/);
  });

  it('keeps a very long query bounded and says so', () => {
    const q = parse(Array.from({ length: 400 }, (_, i) => `word${i}`).join(' '));
    expect(q.words).toHaveLength(MAX_QUERY_WORDS);
    expect(q.notes.join()).toMatch(new RegExp(`first ${MAX_QUERY_WORDS} words`));
  });

  it('parses any text or answers with a user-facing error (property)', () => {
    const pieces = fc.constantFrom(
      'author:',
      'cat:',
      'since:',
      'before:',
      'sort:',
      'page:',
      '"',
      '-',
      ' ',
      ':',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        try {
          const q = parse(input);
          expect(q.words.length).toBeLessThanOrEqual(MAX_QUERY_WORDS);
          expect(q.page).toBeGreaterThanOrEqual(1);
          for (const w of q.words) expect(w).toMatch(/^[\p{L}\p{N}]{1,40}$/u);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
          expect((err as Error).message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 500 },
    );
  });
});
