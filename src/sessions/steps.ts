import type { Db } from '../../db/client.js';
import { type ChannelRow, channelRefOf } from '../../db/repositories/channels.js';
import { recordDiscussion } from '../../db/repositories/discussions.js';
import { recordPost } from '../../db/repositories/posts.js';
import { moveToEnd, rotation } from '../../db/repositories/presenters.js';
import {
  claimStep,
  closeBallot,
  ensureSession,
  finishStep,
  holdOnce,
  rsvpCounts,
  type SessionRow,
  sessionById,
  sessionsOn,
  setChoice,
  updateSession,
} from '../../db/repositories/sessions.js';
import { votesFor } from '../../db/repositories/votes.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import type { MessageRef, OutboundMessage } from '../domain/types.js';
import { currentPick } from '../votes/discussion.js';
import { BALLOT_SIZE, ballotOptions, ballotWinner, topUndiscussed } from './ballot.js';
import { ballotMessage, calendarEvent, reminderText, sessionView, wrapText } from './messages.js';
import {
  CHOSEN_BY_BALLOT,
  CHOSEN_BY_NOBODY,
  CHOSEN_BY_VOTES,
  pickContent,
  refreshBallot,
  sessionPaper,
} from './pick.js';
import { planOf, sessionZone } from './plan.js';
import { dueSteps, nextSession, type SessionTimes, type StepKind, sessionsAround } from './timeline.js';

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

/** The sessions of these channels with steps due at `now` (not yet checked against what was done). */
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
    if (await runStep(deps, channel, session.id, times, kind)) posted++;
  }
  return posted;
}

/** The channel's session on that date, created with the rotation's next presenter if it is new. */
export async function sessionFor(db: Db, channel: ChannelRow, times: SessionTimes): Promise<SessionRow> {
  const [presenter] = await rotation(db, channel.id);
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

/** Claims one step and runs it; true when it posted. An error leaves the claim to run out and be retried. */
async function runStep(
  deps: SessionDeps,
  channel: ChannelRow,
  sessionId: number,
  times: SessionTimes,
  kind: StepKind,
): Promise<boolean> {
  const { db } = deps;
  const claim = await claimStep(db, {
    sessionId,
    kind,
    owner: deps.instanceId,
    now: deps.now(),
    leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
  });
  if (!claim.claimed) return false;
  const session = await sessionById(db, sessionId);
  if (!session) return false;
  const step = { deps, channel, session, times, retake: claim.retake, kind };
  const outcome = await STEP_WORK[kind](step);
  await finishStep(db, {
    sessionId,
    kind,
    status: outcome === 'skipped' ? 'skipped' : 'done',
    ...(outcome !== 'skipped' && outcome.messageId ? { messageId: outcome.messageId } : {}),
    now: deps.now(),
  });
  return outcome !== 'skipped';
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
    let winner: number | null = null;
    if (session.ballotPaperIds.length > 0) {
      const won = await ballotWinner(db, step.channel, await ballotOptions(db, session));
      winner = won?.index ?? null;
    }
    if (!session.chosenBy) {
      if (winner !== null) {
        await setChoice(db, session.id, {
          paperId: session.ballotPaperIds[winner]!,
          chosenBy: CHOSEN_BY_BALLOT,
        });
      } else {
        const top = await currentPick(db, step.channel, now);
        await setChoice(db, session.id, {
          paperId: top?.paper.id ?? null,
          chosenBy: top ? CHOSEN_BY_VOTES : CHOSEN_BY_NOBODY,
        });
      }
      session = await freshSession(db, session.id);
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
      const index = session.paperId ? session.ballotPaperIds.indexOf(session.paperId) : -1;
      const reason =
        session.chosenBy === CHOSEN_BY_BALLOT ? 'Closed. The pick:' : 'Closed: the presenter chose';
      await refreshBallot(step.deps, step.channel, session, step.times.pick, {
        winner: index >= 0 ? index : null,
        reason,
      });
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

async function remind(step: Step): Promise<StepOutcome> {
  const { db } = step.deps;
  const kind = step.kind as 'remind-day' | 'remind-soon';
  const session = step.session;
  const counts = (await rsvpCounts(db, [session.id])).get(session.id);
  const text = reminderText(
    kind,
    await sessionPaper(db, session),
    sessionView(session, step.channel, counts),
  );
  const posted = await send(step, { kind: 'text', text }, pickThread(step, session));
  return { messageId: posted.messageId };
}

async function freshSession(db: Db, id: number): Promise<SessionRow> {
  const session = await sessionById(db, id);
  if (!session) throw new Error(`session ${id} vanished`);
  return session;
}
