import { describe, expect, it } from 'vitest';
import { searchResultsMessage } from '../../src/search/present.js';
import { parseSearchQuery } from '../../src/search/query.js';
import type { SearchResult } from '../../src/search/search.js';

const NOW = new Date('2026-11-26T10:00:00Z');

function result(typed: string, fields: Partial<SearchResult> = {}): SearchResult {
  return {
    query: parseSearchQuery(typed, NOW),
    hits: [],
    offset: 0,
    total: 0,
    more: false,
    notes: [],
    suggestions: [],
    ...fields,
  };
}

describe('search replies', () => {
  it('do not repeat a pasted abstract back whole', () => {
    const typed = 'sparse attention for long context windows '.repeat(30);
    const message = searchResultsMessage(typed, result(typed), 5);
    expect(message.kind).toBe('text');
    const text = message.kind === 'text' ? message.text : '';
    expect(text).toMatch(/^No papers match "sparse attention for long context windows sparse.*…"\./);
    expect(text.length).toBeLessThan(300);
  });

  it('show a short query as typed', () => {
    const message = searchResultsMessage('kv cache', result('kv cache'), 5);
    expect(message.kind === 'text' && message.text).toMatch(/^No papers match "kv cache"\./);
  });
});
