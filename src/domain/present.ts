import type { Button, OutboundMessage, PaperView, SearchHit, SessionView } from './types.js';

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

/**
 * A mention of a person as the core writes it: `<@id>`, which Slack and Discord show as the person and
 * the console prints as `@id`.
 */
export function mention(user: { id: string }): string {
  return `<@${user.id}>`;
}

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

/** `Fri 12 Dec 15:00`, in a timezone. */
export function shortWhen(at: Date, timezone: string): string {
  return at
    .toLocaleString('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    .replace(',', '');
}

/** "Fri 12 Dec 15:00–16:00 (Europe/Berlin) · Room 3.14 · presented by <@ada> · 3 going, 1 can't make it". */
export function sessionLine(view: SessionView): string {
  const end = view.end.toLocaleTimeString('en-GB', {
    timeZone: view.timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return [
    `${shortWhen(view.start, view.timezone)}–${end} (${view.timezone})`,
    view.where,
    view.presenter ? `presented by ${mention(view.presenter)}` : null,
    `${view.going} going${view.notGoing ? `, ${view.notGoing} can't make it` : ''}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A ballot's last line: when it closes, or how it closed. */
export function ballotStatus(ballot: Extract<OutboundMessage, { kind: 'ballot' }>): string {
  if (!ballot.closed)
    return `One vote each, until the pick on ${shortWhen(ballot.closesAt, ballot.timezone)} (${ballot.timezone}).`;
  const winner = ballot.closed.winner === null ? undefined : ballot.options[ballot.closed.winner];
  return `${ballot.closed.reason}${winner ? ` “${winner.paper.title}”.` : ''}`;
}

/** A ballot option's votes: `3 votes`. */
export function votesText(votes: number): string {
  return `${votes} ${votes === 1 ? 'vote' : 'votes'}`;
}

/** How a channel's people vote on its papers. */
export type VoteWith = 'reactions' | 'buttons' | 'both';

/**
 * The buttons under every paper card: Save (to the presser's reading list) and, where the channel votes
 * with buttons, Vote (pressed again, it takes the vote back).
 */
export function cardButtons(paperId: string, voteWith: VoteWith): Button[] {
  const save: Button = { label: 'Save', command: `save ${paperId}` };
  return voteWith === 'reactions'
    ? [save]
    : [{ label: '▲ Vote', command: `upvote ${paperId}`, style: 'primary' }, save];
}

/** What a digest's parent message says about voting: on the papers below, the channel's way. */
export function voteHint(voteWith: VoteWith): string {
  const how =
    voteWith === 'reactions'
      ? 'React with 👍 🔥 or 🚀 on a paper below to vote'
      : voteWith === 'buttons'
        ? 'Press ▲ Vote on a paper below to vote'
        : 'React on a paper below (👍 🔥 🚀) or press its ▲ Vote to vote';
  return `${how}; the most-voted paper becomes the next discussion.`;
}
