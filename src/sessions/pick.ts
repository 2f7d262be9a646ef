import type { Db } from '../../db/client.js';
import { type ChannelRow, channelRefOf } from '../../db/repositories/channels.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { ballotCounts, rsvpCounts, type SessionRow } from '../../db/repositories/sessions.js';
import { votesFor } from '../../db/repositories/votes.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import { mention } from '../domain/present.js';
import type { OutboundMessage, PaperView } from '../domain/types.js';
import { ballotOptions } from './ballot.js';
import { ballotMessage, calendarEvent, sessionPickMessage, sessionView } from './messages.js';

/** Who chose a session's paper: the ballot, the team's votes, nobody, or a person (`@<user id>`). */
export const CHOSEN_BY_BALLOT = 'ballot';
export const CHOSEN_BY_VOTES = 'votes';
export const CHOSEN_BY_NOBODY = 'none';
export const chosenByPerson = (userId: string) => `@${userId}`;

/** How a session's closed ballot reads: the pick it led to, or that the presenter chose. */
export function ballotOutcome(session: SessionRow): { winner: number | null; reason: string } {
  const index = session.paperId ? session.ballotPaperIds.indexOf(session.paperId) : -1;
  if (session.chosenBy === CHOSEN_BY_BALLOT) return { winner: index, reason: 'Closed. The pick:' };
  if (index >= 0) return { winner: index, reason: 'Closed: the presenter chose' };
  return { winner: null, reason: 'Closed: the presenter chose a paper not on the ballot.' };
}

export async function sessionPaper(db: Db, session: SessionRow): Promise<PaperView | null> {
  if (!session.paperId) return null;
  return (await loadPaperViews(db, [session.paperId])).get(session.paperId) ?? null;
}

/** Why the session discusses its paper: `won the ballot, 4 of 6 votes · 3 team votes`. */
async function choiceReason(db: Db, channel: ChannelRow, session: SessionRow): Promise<string> {
  if (!session.paperId) return '';
  const team = (await votesFor(db, channel, [session.paperId])).get(session.paperId) ?? 0;
  const teamVotes = `${team} team ${team === 1 ? 'vote' : 'votes'}`;
  const by = session.chosenBy ?? '';
  if (by === CHOSEN_BY_BALLOT) {
    const counts = await ballotCounts(db, session.id);
    const won = counts.get(session.ballotPaperIds.indexOf(session.paperId) + 1) ?? 0;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return `nobody voted in the ballot, so the team's votes decided · ${teamVotes}`;
    return `won the ballot, ${won} of ${total} ${total === 1 ? 'vote' : 'votes'} · ${teamVotes}`;
  }
  if (by.startsWith('@')) return `chosen by ${mention({ id: by.slice(1) })} · ${teamVotes}`;
  return teamVotes;
}

/** The pick's message as it stands now: its paper, why, and the RSVPs so far. */
export async function pickContent(
  db: Db,
  channel: ChannelRow,
  session: SessionRow,
): Promise<OutboundMessage> {
  const [paper, counts, reason] = await Promise.all([
    sessionPaper(db, session),
    rsvpCounts(db, [session.id]),
    choiceReason(db, channel, session),
  ]);
  return sessionPickMessage(session, sessionView(session, channel, counts.get(session.id)), paper, reason);
}

export interface RefreshDeps {
  db: Db;
  adapter: ChatAdapter;
  log: Logger;
}

/**
 * Brings the session's messages up to date where the door can change them: the pick's card (paper,
 * presenter, RSVPs) and the calendar entry. A failure is logged: the data is right, only its display lags.
 */
export async function refreshPick(
  deps: RefreshDeps,
  channel: ChannelRow,
  session: SessionRow,
): Promise<void> {
  const { db, adapter } = deps;
  const ref = channelRefOf(channel);
  try {
    if (session.pickMessageId && adapter.update) {
      await adapter.update(
        { channel: ref, messageId: session.pickMessageId },
        await pickContent(db, channel, session),
      );
    }
    if (session.eventId && adapter.updateEvent) {
      await adapter.updateEvent(
        ref,
        session.eventId,
        calendarEvent(session, await sessionPaper(db, session), channel),
      );
    }
  } catch (err) {
    deps.log.warn({ err, session: session.id }, 'could not bring the session messages up to date');
  }
}

/** Shows the ballot's counts, or its close, on its message where the door can change it. */
export async function refreshBallot(
  deps: RefreshDeps,
  channel: ChannelRow,
  session: SessionRow,
  closesAt: Date,
  closed?: { winner: number | null; reason: string },
): Promise<void> {
  if (!session.ballotMessageId || !deps.adapter.update) return;
  try {
    const options = await ballotOptions(deps.db, session);
    await deps.adapter.update(
      { channel: channelRefOf(channel), messageId: session.ballotMessageId },
      ballotMessage(session, channel, options, closesAt, closed),
    );
  } catch (err) {
    deps.log.warn({ err, session: session.id }, 'could not update the ballot');
  }
}
