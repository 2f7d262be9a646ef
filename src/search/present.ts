import type { Button, OutboundMessage } from '../domain/types.js';
import type { SearchResult } from './search.js';

/** The query as typed, without its page, so paging buttons can add their own. */
export function withoutPage(query: string): string {
  return query
    .replace(/(^|\s)page:\S*/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What the person who searched sees: a page of hits with previous/next and share buttons, or, when
 * nothing matched, why and the closest titles.
 */
export function searchResultsMessage(typed: string, result: SearchResult, pageSize: number): OutboundMessage {
  const base = withoutPage(typed);
  const hint = result.notes.join(' ') || undefined;
  if (result.hits.length === 0) {
    const lines = [
      result.offset > 0
        ? `No more results for "${base}" (there were ${result.total}).`
        : `No papers match "${base}".`,
      ...result.notes,
    ];
    if (result.suggestions.length > 0) {
      lines.push('Closest titles:', ...result.suggestions.map((t) => `• ${t}`));
    } else if (result.offset === 0) {
      lines.push('Try fewer or different words, or see `/papers help search`.');
    }
    return { kind: 'text', text: lines.join('\n') };
  }
  const page = result.query.page;
  const buttons: Button[] = [];
  if (page > 1) buttons.push({ label: '◀ Previous', command: `search ${base} page:${page - 1}` });
  if (result.offset + pageSize < result.total) {
    buttons.push({ label: 'Next ▶', command: `search ${base} page:${page + 1}`, style: 'primary' });
  }
  result.hits.forEach((hit, i) => {
    buttons.push({ label: `Share ${result.offset + i + 1}`, command: `share ${hit.paper.id}` });
  });
  return {
    kind: 'search-results',
    query: base,
    hits: result.hits,
    offset: result.offset,
    total: result.total,
    ...(result.more ? { more: true } : {}),
    ...(hint ? { hint } : {}),
    buttons,
  };
}
