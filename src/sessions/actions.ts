import type { Db } from '../../db/client.js';
import { type ChannelRow, channelById, channelRefOf, findChannel } from '../../db/repositories/channels.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import {
  addSessionNote,
  closeBallot,
  findSession,
  removeBallotVote,
  removeRsvp,
  type SessionRow,
  sessionById,
  sessionOfEvent,
  sessionOfMessage,
  setChoice,
  upcomingSessions,
  updateSession,
  writeBallotVote,
  writeRsvp,
} from '../../db/repositories/sessions.js';
import { UserError } from '../domain/errors.js';
import type { BallotVoteEvent, EventInterest, SharedMessage } from '../domain/ports.js';
import { mention } from '../domain/present.js';
import type { UserRef } from '../domain/types.js';
import { findPaperId } from '../votes/discussion.js';
import { ballotOutcome, chosenByPerson, type RefreshDeps, refreshBallot, refreshPick } from './pick.js';
import { planOf, sessionZone, when } from './plan.js';
import { presenterAt, sessionFor } from './steps.js';
import { nextSession, type SessionPlan, sessionTimes } from './timeline.js';

export interface ActionDeps extends RefreshDeps {
  now: () => Date;
}

/** The channel's plan, or a UserError saying how to set one. */
export function requirePlan(channel: ChannelRow): SessionPlan {
  const plan = planOf(channel);
  if (!plan) {
    throw new UserError(
      'This channel has no reading-group sessions. An admin sets them with `/papers session fri 15:00 Europe/Berlin weekly`.',
    );
  }
  return plan;
}

/** The next session that has not started, its row created if it had none. */
export async function upcomingSession(db: Db, channel: ChannelRow, now: Date): Promise<SessionRow> {
  return sessionFor(db, channel, nextSession(requirePlan(channel), now));
}

/** The next session's row, if anything has made one yet (a ballot, an RSVP, a choice). */
async function upcomingRow(db: Db, channel: ChannelRow, now: Date): Promise<SessionRow | undefined> {
  return findSession(db, channel.id, nextSession(requirePlan(channel), now).localDate);
}

/**
 * A session named by a button or command (`s17`) in this channel, or the upcoming one: made if it has
 * no row yet with `create`, else a UserError that `missing` explains.
 */
export async function namedSession(
  db: Db,
  channel: ChannelRow,
  ref: string | undefined,
  now: Date,
  { create, missing }: { create: boolean; missing: string },
): Promise<SessionRow> {
  if (!ref) {
    if (create) return upcomingSession(db, channel, now);
    const row = await upcomingRow(db, channel, now);
    if (!row) throw new UserError(missing);
    return row;
  }
  const id = /^s(\d{1,9})$/i.exec(ref)?.[1];
  const session = id ? await sessionById(db, Number(id)) : undefined;
  if (!session || session.channelId !== channel.id) {
    throw new UserError(`"${ref}" is not a session of this channel. \`/papers session\` shows the next one.`);
  }
  return session;
}

function pickTime(channel: ChannelRow, session: SessionRow): Date {
  const plan = planOf(channel);
  return plan ? sessionTimes(plan, session.localDate).pick : session.startsAt;
}

export const NO_BALLOT = 'That session has no ballot (yet): it opens a few days before the session.';

/** Why a session's ballot takes no votes, or null when it is open. */
function ballotClosedBecause(channel: ChannelRow, session: SessionRow): string | null {
  if (session.status !== 'planned') return `That session was ${session.status}, so its ballot is closed.`;
  if (!session.ballotMessageId) return NO_BALLOT;
  if (session.ballotClosedAt) {
    return `That ballot closed when the pick was announced (${when(session.ballotClosedAt, sessionZone(channel))}).`;
  }
  return null;
}

/** A vote in the ballot of `session` (1-based `choice`); what to tell the voter. */
export async function castBallotVote(
  deps: ActionDeps,
  channel: ChannelRow,
  session: SessionRow,
  user: UserRef,
  choice: number,
): Promise<string> {
  const closed = ballotClosedBecause(channel, session);
  if (closed) throw new UserError(closed);
  const count = session.ballotPaperIds.length;
  if (!Number.isInteger(choice) || choice < 1 || choice > count) {
    throw new UserError(`The ballot has papers 1 to ${count}: vote with e.g. \`/papers vote 1\`.`);
  }
  const written = await writeBallotVote(deps.db, {
    sessionId: session.id,
    userId: user.id,
    choice,
    at: deps.now(),
  });
  if (!written)
    throw new UserError(
      ballotClosedBecause(channel, await fresh(deps.db, session)) ?? 'That ballot is closed.',
    );
  const closesAt = pickTime(channel, session);
  await refreshBallot(deps, channel, session, closesAt);
  const paperId = session.ballotPaperIds[choice - 1]!;
  const title = (await loadPaperViews(deps.db, [paperId])).get(paperId)?.title ?? paperId;
  return `You voted for ${choice}: “${title}”. You can change your vote until ${when(closesAt, sessionZone(channel))}.`;
}

/** A vote given through the platform's poll or the console; what to tell the voter, if the door can. */
export async function ballotVoteEvent(deps: ActionDeps, event: BallotVoteEvent): Promise<string | undefined> {
  // A vote in someone else's poll: the channel need not be one the bot serves, and does not become one.
  const channel = await findChannel(deps.db, event.message.channel);
  const session = channel && (await sessionOfMessage(deps.db, channel.id, event.message.messageId));
  if (!session || session.ballotMessageId !== event.message.messageId) return 'That message is no ballot.';
  try {
    if (event.action === 'added')
      return await castBallotVote(deps, channel, session, event.user, event.choice);
    const closed = ballotClosedBecause(channel, session);
    if (closed) return closed;
    await removeBallotVote(deps.db, { sessionId: session.id, userId: event.user.id, choice: event.choice });
    await refreshBallot(deps, channel, session, pickTime(channel, session));
    return 'Your vote is taken back.';
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
}

/** A person comes, or cannot come, to a session; what to tell them. */
export async function answerRsvp(
  deps: ActionDeps,
  channel: ChannelRow,
  session: SessionRow,
  user: UserRef,
  going: boolean,
): Promise<string> {
  if (session.status !== 'planned') throw new UserError(`That session was ${session.status}.`);
  if (session.endsAt <= deps.now()) throw new UserError('That session is over.');
  await writeRsvp(deps.db, {
    sessionId: session.id,
    userId: user.id,
    userName: user.name ?? null,
    going,
    at: deps.now(),
  });
  await refreshPick(deps, channel, session);
  const at = when(session.startsAt, sessionZone(channel));
  return going
    ? `You're going to the session on ${at}. See you there!`
    : `Noted: you can't make it on ${at}.`;
}

/** Discord's "Interested" on a session's event counts as going. */
export async function eventInterestEvent(deps: ActionDeps, event: EventInterest): Promise<void> {
  const session = await sessionOfEvent(deps.db, event.eventId);
  if (!session) return;
  const channel = await channelById(deps.db, session.channelId);
  if (!channel) return;
  if (event.action === 'added') {
    await writeRsvp(deps.db, {
      sessionId: session.id,
      userId: event.user.id,
      userName: event.user.name ?? null,
      going: true,
      at: deps.now(),
    });
  } else {
    await removeRsvp(deps.db, session.id, event.user.id);
  }
  await refreshPick(deps, channel, session);
}

/** A reply in a session's thread after it ended is one of its notes. True when it counted. */
export async function recordNote(deps: ActionDeps, message: SharedMessage): Promise<boolean> {
  const threadId = message.message.threadId;
  if (!threadId) return false;
  const channel = await findChannel(deps.db, message.message.channel);
  const session = channel && (await sessionOfMessage(deps.db, channel.id, threadId));
  if (!session || session.pickMessageId !== threadId || !session.heldAt) return false;
  await addSessionNote(deps.db, {
    sessionId: session.id,
    messageId: message.message.messageId,
    userId: message.user.id,
    at: deps.now(),
  });
  return true;
}

/**
 * The presenter of the upcoming session, or an admin, chooses its paper. Before the pick it replaces the
 * ballot; after, it changes the pick, and the thread says so.
 */
export async function choosePaper(
  deps: ActionDeps,
  channel: ChannelRow,
  user: UserRef,
  paperRef: string,
): Promise<string> {
  const existing = await upcomingRow(deps.db, channel, deps.now());
  // Once announced, the session names its presenter; before, the rotation as it will stand then does.
  const presenterId = existing?.pickMessageId
    ? existing.presenterId
    : ((await presenterAt(deps.db, channel, nextSession(requirePlan(channel), deps.now()).start))?.userId ??
      null);
  if (!user.isAdmin && presenterId !== user.id) {
    const presenter = presenterId ? ` (${mention({ id: presenterId })})` : '';
    throw new UserError(
      `Only the presenter${presenter} or an admin can choose the paper for the next session.`,
    );
  }
  const paperId = await findPaperId(deps.db, paperRef);
  const session = existing ?? (await upcomingSession(deps.db, channel, deps.now()));
  const title = (await loadPaperViews(deps.db, [paperId])).get(paperId)?.title ?? paperId;
  await setChoice(deps.db, session.id, { paperId, chosenBy: chosenByPerson(user.id) }, true);
  // An open ballot has nothing left to decide: it closes now, saying so.
  if (session.ballotMessageId && !session.ballotClosedAt) {
    await closeBallot(deps.db, session.id, deps.now());
    const closed = await fresh(deps.db, session);
    await refreshBallot(deps, channel, closed, pickTime(channel, closed), ballotOutcome(closed));
  }
  const updated = await fresh(deps.db, session);
  const at = when(updated.startsAt, sessionZone(channel));
  if (updated.pickMessageId) {
    await refreshPick(deps, channel, updated);
    await deps.adapter.reply(
      { channel: channelRefOf(channel), messageId: updated.pickMessageId },
      { kind: 'text', text: `Change of paper: ${mention(user)} chose “${title}” for ${at}.` },
    );
  }
  return `The session on ${at} will discuss “${title}”, chosen by ${mention(user)}.`;
}

/** Presenter changes reach the upcoming session: its row, and its messages once announced. */
export async function presenterChanged(deps: ActionDeps, channel: ChannelRow): Promise<void> {
  const [next] = (await upcomingSessions(deps.db, channel.id, deps.now())).filter(
    (s) => s.status === 'planned' && !s.heldAt && s.startsAt > deps.now(),
  );
  if (!next) return;
  const presenter = await presenterAt(deps.db, channel, next.startsAt);
  if (next.presenterId === (presenter?.userId ?? null)) return;
  const updated = await updateSession(deps.db, next.id, {
    presenterId: presenter?.userId ?? null,
    presenterName: presenter?.userName ?? null,
  });
  if (updated.pickMessageId) {
    await refreshPick(deps, channel, updated);
    const who = presenter ? mention({ id: presenter.userId }) : 'nobody yet';
    await deps.adapter.reply(
      { channel: channelRefOf(channel), messageId: updated.pickMessageId },
      {
        kind: 'text',
        text: `Change of presenter: ${who} presents on ${when(updated.startsAt, sessionZone(channel))}.`,
      },
    );
  }
}

/** Skips the next session (this one only): no pick, reminders or wrap-up; its ballot closes. */
export async function skipSession(deps: ActionDeps, channel: ChannelRow): Promise<string> {
  const now = deps.now();
  const plan = requirePlan(channel);
  const session = await upcomingSession(deps.db, channel, now);
  const at = when(session.startsAt, plan.timezone);
  if (session.status === 'skipped') throw new UserError(`The session on ${at} is already skipped.`);
  const skipped = await updateSession(deps.db, session.id, { status: 'skipped' });
  if (skipped.ballotMessageId && !skipped.ballotClosedAt) {
    await refreshBallot(deps, channel, skipped, pickTime(channel, skipped), {
      winner: null,
      reason: 'Closed: this session is skipped.',
    });
  }
  await cancelEvent(deps, channel, skipped);
  if (skipped.pickMessageId) {
    await deps.adapter.reply(
      { channel: channelRefOf(channel), messageId: skipped.pickMessageId },
      { kind: 'text', text: `This session (${at}) is skipped.` },
    );
  }
  const next = nextSession(plan, skipped.startsAt);
  return `The session on ${at} is skipped. The next one is on ${when(next.start, plan.timezone)}.`;
}

/**
 * Calls off the sessions still ahead (sessions were turned off, or moved), except those `keep` keeps,
 * and closes their open ballots; how many.
 */
export async function cancelUpcoming(
  deps: ActionDeps,
  channel: ChannelRow,
  keep: (session: SessionRow) => boolean = () => false,
): Promise<number> {
  const ahead = (await upcomingSessions(deps.db, channel.id, deps.now())).filter(
    (s) => s.status === 'planned' && !s.heldAt && !keep(s),
  );
  for (const session of ahead) {
    const cancelled = await updateSession(deps.db, session.id, { status: 'cancelled' });
    await cancelEvent(deps, channel, cancelled);
    if (cancelled.ballotMessageId && !cancelled.ballotClosedAt) {
      await refreshBallot(deps, channel, cancelled, pickTime(channel, cancelled), {
        winner: null,
        reason: 'Closed: sessions are off in this channel.',
      });
    }
  }
  return ahead.length;
}

/** Takes a called-off session out of the platform's calendar; a failure is logged, the session stays off. */
async function cancelEvent(deps: ActionDeps, channel: ChannelRow, session: SessionRow): Promise<void> {
  if (!session.eventId || !deps.adapter.cancelEvent) return;
  try {
    await deps.adapter.cancelEvent(channelRefOf(channel), session.eventId);
  } catch (err) {
    deps.log.warn({ err, session: session.id }, 'could not cancel the calendar entry');
  }
}

async function fresh(db: Db, session: SessionRow): Promise<SessionRow> {
  return (await sessionById(db, session.id)) ?? session;
}
