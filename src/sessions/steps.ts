import type { Db } from '../../db/client.js';
import { type ChannelRow, channelRefOf } from '../../db/repositories/channels.js';
import { recordDiscussion } from '../../db/repositories/discussions.js';
import { recordPost } from '../../db/repositories/posts.js';
import { moveToEnd, type Presenter, rotation } from '../../db/repositories/presenters.js';
import {
  announcedBefore,
  claimStep,
  closeBallot,
  ensureSession,
  finishStep,
  holdOnce,
  replaceBallotVotes,
  rsvpCounts,
  type SessionRow,
  sessionById,
  sessionsAwaitingWrap,
  sessionsOn,
  setChoice,
  updateSession,
} from '../../db/repositories/sessions.js';
import { votesFor } from '../../db/repositories/votes.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import type { BallotOption, MessageRef, OutboundMessage, Platform } from '../domain/types.js';
import { currentPick } from '../votes/discussion.js';
import { BALLOT_SIZE, ballotOptions, ballotWinner, topUndiscussed } from './ballot.js';
import { ballotMessage, calendarEvent, reminderText, sessionView, wrapText } from './messages.js';
import {
  ballotOutcome,
  CHOSEN_BY_BALLOT,
  CHOSEN_BY_NOBODY,
  CHOSEN_BY_VOTES,
  pickContent,
  refreshBallot,
  sessionPaper,
} from './pick.js';
import { planOf, sessionZone } from './plan.js';
import {
  dueSteps,
  nextSession,
  type SessionTimes,
  type StepKind,
  sessionsAround,
  WRAP_CATCH_UP_MS,
} from './timeline.js';

export interface SessionDeps {
  db: Db;
  adapter: ChatAdapter;
  log: Logger;
  /** This process, so a claim names its holder. */
  instanceId: string;
  now: () => Date;
  /** How long a claimed step holds before another instance may take it over. */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;

/** A session with steps due, as the scheduler finds it. */
export interface DueSession {
  channel: ChannelRow;
  times: SessionTimes;
  steps: StepKind[];
}

/**
 * The sessions with steps due at `now` (not yet checked against what was done): those of these channels'
 * plans, and any announced session on these platforms that ended without its wrap-up (its channel's plan
 * changed, or sessions were turned off, while it ran).
 */
export async function sessionWork(
  db: Db,
  channels: ChannelRow[],
  platforms: readonly Platform[],
  now: Date,
): Promise<DueSession[]> {
  const due = dueSessions(channels, now);
  const planned = new Set(due.map((d) => `${d.channel.id}:${d.times.localDate}`));
  for (const { session, channel } of await sessionsAwaitingWrap(db, platforms, now, WRAP_CATCH_UP_MS)) {
    if (planned.has(`${channel.id}:${session.localDate}`)) continue;
    const { startsAt: start, endsAt: end } = session;
    const times = {
      localDate: session.localDate,
      start,
      end,
      ballot: start,
      pick: start,
      remindDay: start,
      remindSoon: start,
    };
    due.push({ channel, times, steps: ['wrap'] });
  }
  return due;
}

/** The sessions of these channels' plans with steps due at `now`. */
export function dueSessions(channels: ChannelRow[], now: Date): DueSession[] {
  const due: DueSession[] = [];
  for (const channel of channels) {
    const plan = planOf(channel);
    if (!plan) continue;
    for (const times of sessionsAround(plan, now)) {
      const steps = dueSteps(times, now);
      if (steps.length > 0) due.push({ channel, times, steps });
    }
  }
  return due;
}

/**
 * Runs the due steps of these sessions that have not run yet, each claimed in the database first, so
 * a restart, a crash mid-step and several instances all end with each step done exactly once. Steps
 * of one session run in order; sessions run side by side. Returns how many steps posted something.
 */
export async function advanceSessions(deps: SessionDeps, due: DueSession[]): Promise<number> {
  const rows = await sessionsOn(
    deps.db,
    due.map((d) => ({ channelId: d.channel.id, localDate: d.times.localDate })),
  );
  const results = await Promise.all(
    due.map(async ({ channel, times, steps }) => {
      const row = rows.get(`${channel.id}:${times.localDate}`);
      if (row && row.status !== 'planned') return 0;
      const left = steps.filter((kind) => {
        const status = row?.steps.get(kind);
        return status !== 'done' && status !== 'skipped';
      });
      if (left.length === 0) return 0;
      try {
        return await advanceSession(deps, channel, times, left);
      } catch (err) {
        deps.log.error({ err, channel: channel.id, session: times.localDate }, 'session step failed');
        return 0;
      }
    }),
  );
  return results.reduce((a, b) => a + b, 0);
}

async function advanceSession(
  deps: SessionDeps,
  channel: ChannelRow,
  times: SessionTimes,
  steps: StepKind[],
): Promise<number> {
  const session = await sessionFor(deps.db, channel, times);
  if (session.status !== 'planned') return 0;
  let posted = 0;
  for (const kind of steps) {
    const outcome = await runStep(deps, channel, session.id, times, kind);
    // A step another holder has (or one that failed, whose claim runs on) comes first: the later steps
    // hang on it (the reminders go in the pick's thread), so they wait for a later tick.
    if (outcome === 'busy') break;
    if (outcome === 'posted') posted++;
  }
  return posted;
}

/**
 * Who presents at a session starting at `start`: the rotation's first, once the presenters of sessions
 * announced before it and not yet held have taken their turns (the rotation moves on at each wrap-up).
 */
export async function presenterAt(db: Db, channel: ChannelRow, start: Date): Promise<Presenter | undefined> {
  const order = await rotation(db, channel.id);
  for (const earlier of await announcedBefore(db, channel.id, start)) {
    const at = order.findIndex((p) => p.userId === earlier.presenterId);
    if (at >= 0) order.push(...order.splice(at, 1));
  }
  return order[0];
}

/** The channel's session on that date, created with its presenter if it is new. */
export async function sessionFor(db: Db, channel: ChannelRow, times: SessionTimes): Promise<SessionRow> {
  const presenter = await presenterAt(db, channel, times.start);
  return ensureSession(db, {
    channelId: channel.id,
    localDate: times.localDate,
    startsAt: times.start,
    endsAt: times.end,
    presenterId: presenter?.userId ?? null,
    presenterName: presenter?.userName ?? null,
    where: channel.sessionWhere,
  });
}

type StepOutcome = { messageId?: string } | 'skipped';

/**
 * Claims one step and runs it: `posted`, `quiet` (nothing to post) or `busy` (another holder has it). An
 * error leaves the claim to run out and be retried.
 */
async function runStep(
  deps: SessionDeps,
  channel: ChannelRow,
  sessionId: number,
  times: SessionTimes,
  kind: StepKind,
): Promise<'posted' | 'quiet' | 'busy'> {
  const { db } = deps;
  const claim = await claimStep(db, {
    sessionId,
    kind,
    owner: deps.instanceId,
    now: deps.now(),
    leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
  });
  if (!claim.claimed) return 'busy';
  const session = await sessionById(db, sessionId);
  if (!session) return 'busy';
  const step = { deps, channel, session, times, retake: claim.retake, kind };
  const outcome = await STEP_WORK[kind](step);
  await finishStep(db, {
    sessionId,
    kind,
    owner: deps.instanceId,
    status: outcome === 'skipped' ? 'skipped' : 'done',
    ...(outcome !== 'skipped' && outcome.messageId ? { messageId: outcome.messageId } : {}),
    now: deps.now(),
  });
  return outcome === 'skipped' ? 'quiet' : 'posted';
}

interface Step {
  deps: SessionDeps;
  channel: ChannelRow;
  session: SessionRow;
  times: SessionTimes;
  /** An earlier holder of this step may have sent its message before it stopped. */
  retake: boolean;
  kind: StepKind;
}

/**
 * Posts a step's message, tagged with the session and step, in the pick's thread or the channel. A
 * step taken over from a holder that stopped first looks for the message by its tag and adopts it.
 */
async function send(step: Step, message: OutboundMessage, thread?: MessageRef): Promise<MessageRef> {
  const { adapter } = step.deps;
  const channel = channelRefOf(step.channel);
  const tag = `session:${step.session.id}:${step.kind}`;
  if (step.retake && adapter.findPosted) {
    const found = await adapter.findPosted({ channel, tags: [tag], ...(thread ? { thread } : {}) });
    const messageId = found.get(tag);
    if (messageId) return { channel, messageId, ...(thread ? { threadId: thread.messageId } : {}) };
  }
  const tagged = { ...message, tag };
  return thread ? adapter.reply(thread, tagged) : adapter.post(channel, tagged);
}

function pickThread(step: Step, session: SessionRow): MessageRef | undefined {
  return session.pickMessageId
    ? { channel: channelRefOf(step.channel), messageId: session.pickMessageId }
    : undefined;
}

const STEP_WORK: Record<StepKind, (step: Step) => Promise<StepOutcome>> = {
  /** The team's top three papers not yet discussed, one vote each; none when the presenter has chosen. */
  async ballot(step) {
    const { db } = step.deps;
    let session = step.session;
    if (session.chosenBy || session.ballotClosedAt) return 'skipped';
    if (session.ballotPaperIds.length === 0) {
      const candidates = await topUndiscussed(db, step.channel, step.deps.now(), BALLOT_SIZE);
      // One paper is no choice: it simply becomes the pick.
      if (candidates.length < 2) return 'skipped';
      session = await updateSession(db, session.id, { ballotPaperIds: candidates.map((c) => c.paper.id) });
    }
    const options = await ballotOptions(db, session);
    const posted = await send(step, ballotMessage(session, step.channel, options, step.times.pick));
    await updateSession(db, session.id, { ballotMessageId: posted.messageId });
    return { messageId: posted.messageId };
  },

  /** Closes the ballot, fixes the paper (the presenter's choice, the ballot's winner, or the top vote) and announces it. */
  async pick(step) {
    const { db } = step.deps;
    const now = step.deps.now();
    await closeBallot(db, step.session.id, now);
    let session = await freshSession(db, step.session.id);
    await countNativePoll(step, session);
    let winner: BallotOption | null = null;
    if (session.ballotPaperIds.length > 0) {
      const options = await ballotOptions(db, session);
      const won = await ballotWinner(db, step.channel, options);
      winner = won ? options[won.index]! : null;
    }
    if (!session.chosenBy) {
      if (winner !== null) {
        await setChoice(db, session.id, { paperId: winner.paper.id, chosenBy: CHOSEN_BY_BALLOT });
      } else {
        const top = await currentPick(db, step.channel, now);
        await setChoice(db, session.id, {
          paperId: top?.paper.id ?? null,
          chosenBy: top ? CHOSEN_BY_VOTES : CHOSEN_BY_NOBODY,
        });
      }
      session = await freshSession(db, session.id);
    }
    // The pick names the presenter as the rotation stands now (it moved on at the last wrap-up).
    const presenter = await presenterAt(db, step.channel, session.startsAt);
    if (!session.pickMessageId && (presenter?.userId ?? null) !== session.presenterId) {
      session = await updateSession(db, session.id, {
        presenterId: presenter?.userId ?? null,
        presenterName: presenter?.userName ?? null,
      });
    }
    const posted = await send(step, await pickContent(db, step.channel, session));
    session = await updateSession(db, session.id, { pickMessageId: posted.messageId });
    if (session.paperId) {
      await recordPost(db, {
        channelId: step.channel.id,
        paperId: session.paperId,
        kind: 'pick',
        messageId: posted.messageId,
      });
    }
    if (session.ballotMessageId) {
      await refreshBallot(step.deps, step.channel, session, step.times.pick, ballotOutcome(session));
    }
    return { messageId: posted.messageId };
  },

  /** The session in the platform's calendar: a Discord scheduled event, or an .ics invite in the thread. */
  async event(step) {
    const { db, adapter } = step.deps;
    if (!adapter.scheduleEvent) return 'skipped';
    const session = await freshSession(db, step.session.id);
    const thread = pickThread(step, session);
    const eventId = await adapter.scheduleEvent(
      { channel: channelRefOf(step.channel), ...(thread ? { thread } : {}) },
      calendarEvent(session, await sessionPaper(db, session), step.channel),
      step.retake,
    );
    if (eventId) await updateSession(db, session.id, { eventId });
    return eventId ? { messageId: eventId } : 'skipped';
  },

  'remind-day': (step) => remind(step),
  'remind-soon': (step) => remind(step),

  /** Marks the paper discussed and moves the rotation on, once; then asks for notes in the thread. */
  async wrap(step) {
    const { db } = step.deps;
    const now = step.deps.now();
    const session = step.session;
    await holdOnce(db, session.id, now, async (tx) => {
      if (session.paperId) {
        const votes = (await votesFor(tx, step.channel, [session.paperId])).get(session.paperId) ?? 0;
        await recordDiscussion(tx, step.channel, {
          paperId: session.paperId,
          votes,
          discussedAt: now,
          discussedBy: session.presenterName ?? session.presenterId ?? 'the reading group',
        });
      }
      // The presenter was on duty once the session was announced: the next person is up.
      if (session.pickMessageId && session.presenterId)
        await moveToEnd(tx, step.channel.id, session.presenterId);
    });
    // A session never announced (the bot was down all along) has nobody to thank.
    if (!session.pickMessageId) return 'skipped';
    const plan = planOf(step.channel);
    const next = plan ? nextSession(plan, now).start : null;
    const text = wrapText(await sessionPaper(db, session), next, sessionZone(step.channel));
    const posted = await send(step, { kind: 'text', text }, pickThread(step, session));
    return { messageId: posted.messageId };
  },
};

/**
 * A ballot held as the platform's own poll is counted as the platform shows it: the poll is ended, then
 * its voters read, so votes the bot missed or got out of order count all the same.
 */
async function countNativePoll(step: Step, session: SessionRow): Promise<void> {
  const { adapter, db } = step.deps;
  if (!session.ballotMessageId || !adapter.ballotVoters || session.ballotPaperIds.length === 0) return;
  await refreshBallot(step.deps, step.channel, session, step.times.pick, { winner: null, reason: 'Closed.' });
  const ballot = { channel: channelRefOf(step.channel), messageId: session.ballotMessageId };
  const voters = await adapter.ballotVoters(ballot, session.ballotPaperIds.length);
  await replaceBallotVotes(db, session.id, voters, step.deps.now());
}

async function remind(step: Step): Promise<StepOutcome> {
  const { db } = step.deps;
  const kind = step.kind as 'remind-day' | 'remind-soon';
  const session = step.session;
  const counts = (await rsvpCounts(db, [session.id])).get(session.id);
  const text = reminderText(
    kind,
    await sessionPaper(db, session),
    sessionView(session, step.channel, counts),
    step.deps.now(),
  );
  const posted = await send(step, { kind: 'text', text }, pickThread(step, session));
  return { messageId: posted.messageId };
}

async function freshSession(db: Db, id: number): Promise<SessionRow> {
  const session = await sessionById(db, id);
  if (!session) throw new Error(`session ${id} vanished`);
  return session;
}
