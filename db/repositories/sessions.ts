import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Platform } from '../../src/domain/types.js';
import { type Db, queryRows } from '../client.js';
import { ballotVotes, channels, rsvps, sessionNotes, sessionSteps, sessions } from '../schema.js';

export type SessionRow = typeof sessions.$inferSelect;
export type StepStatus = 'running' | 'done' | 'skipped';

/** A channel's session on a local date, created with these values if it is not there yet. */
export async function ensureSession(
  db: Db,
  values: {
    channelId: number;
    localDate: string;
    startsAt: Date;
    endsAt: Date;
    presenterId: string | null;
    presenterName: string | null;
    where: string | null;
  },
): Promise<SessionRow> {
  await db.insert(sessions).values(values).onConflictDoNothing();
  const row = await findSession(db, values.channelId, values.localDate);
  if (!row) throw new Error(`session of channel ${values.channelId} on ${values.localDate} vanished`);
  return row;
}

export async function findSession(
  db: Db,
  channelPk: number,
  localDate: string,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.channelId, channelPk), eq(sessions.localDate, localDate)));
  return row;
}

export async function sessionById(db: Db, id: number): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row;
}

/** Sessions of these channels on these local dates, keyed `channel:date`. */
export async function sessionsOn(
  db: Db,
  wanted: { channelId: number; localDate: string }[],
): Promise<Map<string, SessionRow & { steps: Map<string, StepStatus> }>> {
  const found = new Map<string, SessionRow & { steps: Map<string, StepStatus> }>();
  if (wanted.length === 0) return found;
  const channelIds = [...new Set(wanted.map((w) => w.channelId))];
  const dates = [...new Set(wanted.map((w) => w.localDate))];
  const rows = await db
    .select()
    .from(sessions)
    .where(and(inArray(sessions.channelId, channelIds), inArray(sessions.localDate, dates)));
  if (rows.length === 0) return found;
  const steps = await db
    .select({ sessionId: sessionSteps.sessionId, kind: sessionSteps.kind, status: sessionSteps.status })
    .from(sessionSteps)
    .where(
      inArray(
        sessionSteps.sessionId,
        rows.map((r) => r.id),
      ),
    );
  for (const row of rows) {
    const mine = new Map(steps.filter((s) => s.sessionId === row.id).map((s) => [s.kind, s.status]));
    found.set(`${row.channelId}:${row.localDate}`, { ...row, steps: mine });
  }
  return found;
}

/**
 * Announced sessions on these platforms that ended, within `since`, and were not yet wrapped up, with
 * their channels: their wrap-up is due whatever the channel's plan says now (it may have changed since).
 */
export async function sessionsAwaitingWrap(
  db: Db,
  platforms: readonly Platform[],
  now: Date,
  sinceMs: number,
): Promise<{ session: SessionRow; channel: typeof channels.$inferSelect }[]> {
  if (platforms.length === 0) return [];
  return db
    .select({ session: sessions, channel: channels })
    .from(sessions)
    .innerJoin(channels, eq(channels.id, sessions.channelId))
    .where(
      and(
        inArray(channels.platform, [...platforms]),
        eq(sessions.status, 'planned'),
        isNull(sessions.heldAt),
        sql`${sessions.pickMessageId} is not null`,
        lte(sessions.endsAt, now),
        gte(sessions.endsAt, new Date(now.getTime() - sinceMs)),
      ),
    );
}

/** The session a message belongs to: its ballot or its pick. */
export async function sessionOfMessage(
  db: Db,
  channelPk: number,
  messageId: string,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.channelId, channelPk),
        or(eq(sessions.ballotMessageId, messageId), eq(sessions.pickMessageId, messageId)),
      ),
    );
  return row;
}

export async function sessionOfEvent(db: Db, eventId: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.eventId, eventId));
  return row;
}

/** Sessions of the channel announced before `start` and not yet held: their presenters present first. */
export async function announcedBefore(db: Db, channelPk: number, start: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.channelId, channelPk),
        eq(sessions.status, 'planned'),
        isNull(sessions.heldAt),
        sql`${sessions.pickMessageId} is not null`,
        lt(sessions.startsAt, start),
      ),
    )
    .orderBy(asc(sessions.startsAt));
}

/** The channel's sessions that have not ended by `now`, soonest first. */
export async function upcomingSessions(db: Db, channelPk: number, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.channelId, channelPk), gte(sessions.endsAt, now)))
    .orderBy(asc(sessions.startsAt));
}

/** Held sessions of these channels that discussed these papers, newest first. */
export async function heldSessionsOf(
  db: Db,
  channelPks: number[],
  paperIds: string[],
): Promise<SessionRow[]> {
  if (channelPks.length === 0 || paperIds.length === 0) return [];
  return db
    .select()
    .from(sessions)
    .where(
      and(
        inArray(sessions.channelId, channelPks),
        inArray(sessions.paperId, paperIds),
        sql`${sessions.heldAt} is not null`,
      ),
    )
    .orderBy(desc(sessions.startsAt));
}

/** The channel's last session held between these instants, if any. */
export async function lastHeldSession(
  db: Db,
  channelPk: number,
  from: Date,
  to: Date,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.channelId, channelPk),
        gte(sessions.startsAt, from),
        lt(sessions.startsAt, to),
        sql`${sessions.heldAt} is not null`,
      ),
    )
    .orderBy(desc(sessions.startsAt))
    .limit(1);
  return row;
}

export async function updateSession(db: Db, id: number, set: Partial<SessionRow>): Promise<SessionRow> {
  const [row] = await db.update(sessions).set(set).where(eq(sessions.id, id)).returning();
  if (!row) throw new Error(`session ${id} vanished`);
  return row;
}

/**
 * Closes a session's ballot, once. A vote being written holds the session's row (see writeBallotVote),
 * so the close waits for it and no vote lands after the close.
 */
export async function closeBallot(db: Db, id: number, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ ballotClosedAt: now })
    .where(and(eq(sessions.id, id), isNull(sessions.ballotClosedAt)));
}

/**
 * Sets the paper a session discusses and who chose it (`ballot`, `votes`, `none` or a person). Unless
 * `override`, only a session not yet decided is changed: the first decision stands.
 */
export async function setChoice(
  db: Db,
  id: number,
  choice: { paperId: string | null; chosenBy: string },
  override = false,
): Promise<void> {
  await db
    .update(sessions)
    .set(choice)
    .where(and(eq(sessions.id, id), override ? undefined : isNull(sessions.chosenBy)));
}

/**
 * Marks a session held and runs `then` in the same transaction, once: a second caller, or one after a
 * crash that came after the commit, finds it held and does nothing.
 */
export async function holdOnce(
  db: Db,
  id: number,
  now: Date,
  then: (tx: Db) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const rows = await tx
      .update(sessions)
      .set({ heldAt: now })
      .where(and(eq(sessions.id, id), isNull(sessions.heldAt)))
      .returning({ id: sessions.id });
    if (rows.length === 0) return false;
    await then(tx);
    return true;
  });
}

/**
 * Claims a step of a session for this instance: a new claim, or one whose holder's lease ran out (this
 * instance's own too: a step that failed is tried again once its lease is over, never twice at once).
 * `retake` says a holder may have sent the step's message before it stopped.
 */
export async function claimStep(
  db: Db,
  step: { sessionId: number; kind: string; owner: string; now: Date; leaseMs: number },
): Promise<{ claimed: boolean; retake: boolean }> {
  const leaseUntil = new Date(step.now.getTime() + step.leaseMs);
  const inserted = await db
    .insert(sessionSteps)
    .values({ sessionId: step.sessionId, kind: step.kind, leaseOwner: step.owner, leaseUntil })
    .onConflictDoNothing()
    .returning({ kind: sessionSteps.kind });
  if (inserted.length > 0) return { claimed: true, retake: false };
  const taken = await db
    .update(sessionSteps)
    .set({ leaseOwner: step.owner, leaseUntil })
    .where(
      and(
        eq(sessionSteps.sessionId, step.sessionId),
        eq(sessionSteps.kind, step.kind),
        eq(sessionSteps.status, 'running'),
        lt(sessionSteps.leaseUntil, step.now),
      ),
    )
    .returning({ kind: sessionSteps.kind });
  return { claimed: taken.length > 0, retake: taken.length > 0 };
}

/** Marks a step done (or skipped) by the holder of its claim; a holder whose claim was taken over does not. */
export async function finishStep(
  db: Db,
  step: {
    sessionId: number;
    kind: string;
    owner: string;
    status: 'done' | 'skipped';
    messageId?: string;
    now: Date;
  },
): Promise<void> {
  await db
    .update(sessionSteps)
    .set({
      status: step.status,
      messageId: step.messageId ?? null,
      finishedAt: step.now,
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(
      and(
        eq(sessionSteps.sessionId, step.sessionId),
        eq(sessionSteps.kind, step.kind),
        eq(sessionSteps.leaseOwner, step.owner),
      ),
    );
}

/**
 * Records a person's ballot vote, replacing an earlier one, while the ballot is open: false once it has
 * closed. The session's row is held while the vote is written, so a close waits for it.
 */
export async function writeBallotVote(
  db: Db,
  vote: { sessionId: number; userId: string; choice: number; at: Date },
): Promise<boolean> {
  const rows = await queryRows<{ session_id: number }>(
    db,
    sql`with open as (
          select id from ${sessions} where id = ${vote.sessionId} and ballot_closed_at is null for share
        )
        insert into ${ballotVotes} (session_id, user_id, choice, at)
        select id, ${vote.userId}, ${vote.choice}, ${vote.at.toISOString()}::timestamptz from open
        on conflict (session_id, user_id) do update set choice = excluded.choice, at = excluded.at
        returning session_id`,
  );
  return rows.length > 0;
}

/** Takes back a person's ballot vote while the ballot is open, if it is still that choice (a later vote stands). */
export async function removeBallotVote(
  db: Db,
  vote: { sessionId: number; userId: string; choice: number },
): Promise<boolean> {
  const rows = await queryRows<{ session_id: number }>(
    db,
    sql`with open as (
          select id from ${sessions} where id = ${vote.sessionId} and ballot_closed_at is null for share
        )
        delete from ${ballotVotes} using open
        where ballot_votes.session_id = open.id and user_id = ${vote.userId} and choice = ${vote.choice}
        returning ballot_votes.session_id`,
  );
  return rows.length > 0;
}

/** Makes a closed ballot's votes what the platform recorded: who chose which answer (1-based). */
export async function replaceBallotVotes(
  db: Db,
  sessionId: number,
  voters: Map<number, string[]>,
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(ballotVotes).where(eq(ballotVotes.sessionId, sessionId));
    const rows = [...voters].flatMap(([choice, users]) =>
      users.map((userId) => ({ sessionId, userId, choice, at })),
    );
    // One vote each: should the platform list someone twice, their last answer stands.
    const unique = [...new Map(rows.map((r) => [r.userId, r])).values()];
    if (unique.length > 0) await tx.insert(ballotVotes).values(unique);
  });
}

/** How many votes each choice (1-based) of a session's ballot has. */
export async function ballotCounts(db: Db, sessionId: number): Promise<Map<number, number>> {
  const rows = await queryRows<{ choice: number; n: number }>(
    db,
    sql`select choice, count(*)::int as n from ${ballotVotes} where session_id = ${sessionId} group by choice`,
  );
  return new Map(rows.map((r) => [r.choice, r.n]));
}

export async function writeRsvp(
  db: Db,
  rsvp: { sessionId: number; userId: string; userName: string | null; going: boolean; at: Date },
): Promise<void> {
  await db
    .insert(rsvps)
    .values(rsvp)
    .onConflictDoUpdate({
      target: [rsvps.sessionId, rsvps.userId],
      // The answer that arrives last stands: instances' clocks may differ, so `at` cannot order them.
      set: { going: rsvp.going, userName: rsvp.userName, at: rsvp.at },
    });
}

/** Takes back a person's answer (Discord: no longer interested in the event). */
export async function removeRsvp(db: Db, sessionId: number, userId: string): Promise<void> {
  await db.delete(rsvps).where(and(eq(rsvps.sessionId, sessionId), eq(rsvps.userId, userId)));
}

/** Going and not going, per session. */
export async function rsvpCounts(
  db: Db,
  sessionIds: number[],
): Promise<Map<number, { going: number; notGoing: number }>> {
  const counts = new Map<number, { going: number; notGoing: number }>();
  if (sessionIds.length === 0) return counts;
  const rows = await db
    .select({ sessionId: rsvps.sessionId, going: rsvps.going, n: sql<number>`count(*)::int` })
    .from(rsvps)
    .where(inArray(rsvps.sessionId, sessionIds))
    .groupBy(rsvps.sessionId, rsvps.going);
  for (const row of rows) {
    const entry = counts.get(row.sessionId) ?? { going: 0, notGoing: 0 };
    if (row.going) entry.going = row.n;
    else entry.notGoing = row.n;
    counts.set(row.sessionId, entry);
  }
  return counts;
}

/** Records a reply in a session's thread as one of its notes (a redelivery is the same note). */
export async function addSessionNote(
  db: Db,
  note: { sessionId: number; messageId: string; userId: string; at: Date },
): Promise<void> {
  await db.insert(sessionNotes).values(note).onConflictDoNothing();
}

export async function noteCounts(db: Db, sessionIds: number[]): Promise<Map<number, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: sessionNotes.sessionId, n: sql<number>`count(*)::int` })
    .from(sessionNotes)
    .where(inArray(sessionNotes.sessionId, sessionIds))
    .groupBy(sessionNotes.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}
