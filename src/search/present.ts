import type { Button, OutboundMessage } from '../domain/types.js';
import type { SearchResult } from './search.js';

/** The longest query shown back as typed. */
const SHOWN_QUERY = 80;
/** The longest query paging buttons carry (Slack takes 2,000 characters in a button's value). */
const MAX_PAGED_QUERY = 1000;

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
  // A pasted abstract is not repeated back: its start says which query this was.
  const shown = base.length > SHOWN_QUERY ? `${base.slice(0, SHOWN_QUERY - 1).trimEnd()}…` : base;
  const hint = result.notes.join(' ') || undefined;
  if (result.hits.length === 0) {
    const lines = [
      result.offset > 0
        ? `No more results for "${shown}" (there were ${result.total}).`
        : `No papers match "${shown}".`,
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
  // A button carries its command; a query longer than a platform lets a button hold gets no paging.
  const pageable = base.length <= MAX_PAGED_QUERY;
  if (pageable && page > 1) buttons.push({ label: '◀ Previous', command: `search ${base} page:${page - 1}` });
  if (pageable && result.offset + pageSize < result.total) {
    buttons.push({ label: 'Next ▶', command: `search ${base} page:${page + 1}`, style: 'primary' });
  }
  result.hits.forEach((hit, i) => {
    buttons.push({ label: `Share ${result.offset + i + 1}`, command: `share ${hit.paper.id}` });
  });
  return {
    kind: 'search-results',
    query: shown,
    hits: result.hits,
    offset: result.offset,
    total: result.total,
    ...(result.more ? { more: true } : {}),
    ...(hint ? { hint } : {}),
    buttons,
  };
}
