import type { PaperView, SearchHit } from './types.js';

/** Short lines every door shows the same way. */

/**
 * Typed text as it can be shown back and stored: control characters (a terminal's escapes, NUL) become
 * spaces and a lone half of a surrogate pair, which no platform's JSON takes, becomes U+FFFD.
 */
export function printable(text: string): string {
  return wellFormed(text.replace(CONTROL, ' '));
}
const CONTROL = /\p{Cc}/gu;

/** The text with each lone half of a surrogate pair replaced by U+FFFD, as `String.toWellFormed` does. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** "2 team votes · shared by alice · discussed": what the team did with a hit, or '' when nothing. */
export function teamFacts(hit: SearchHit): string {
  return [
    hit.teamVotes ? `${hit.teamVotes} team ${hit.teamVotes === 1 ? 'vote' : 'votes'}` : '',
    hit.sharedBy.length ? `shared by ${hit.sharedBy.join(', ')}` : '',
    hit.discussed ? 'discussed' : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "Ada Lovelace, Alan Turing, Grace Hopper et al. · 2026-06-11". */
export function byline(paper: PaperView): string {
  const shown = paper.authors.slice(0, 3).join(', ');
  const authors = paper.authors.length > 3 ? `${shown} et al.` : shown;
  const date = paper.publishedAt ? paper.publishedAt.toISOString().slice(0, 10) : '';
  return [authors, date].filter(Boolean).join(' · ');
}
