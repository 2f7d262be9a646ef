import type { PaperView, SearchHit } from './types.js';

/** Short lines every door shows the same way. */

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
