import { addDays, localDateIn, weekdayOf, zonedTimeToUtc } from '../domain/time.js';

/** When a channel's reading group meets, and how long before it the ballot opens. */
export interface SessionPlan {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  /** `HH:MM` in `timezone`. */
  time: string;
  timezone: string;
  cadence: 'weekly' | 'biweekly';
  /** The first session since the plan was set: none come before it, and every other week counts from it. */
  anchor: string | null;
  minutes: number;
  ballotDays: number;
  /** The channel's digest time, in its own timezone: the pick is announced at it the day before. */
  digestTime: string;
  digestTimezone: string;
}

/** The instants of one session and of what leads up to it and follows it. */
export interface SessionTimes {
  localDate: string;
  start: Date;
  end: Date;
  /** The ballot opens. */
  ballot: Date;
  /** The ballot closes and the pick is announced. */
  pick: Date;
  remindDay: Date;
  remindSoon: Date;
}

/** What happens around a session, in the order it happens. */
export const STEPS = ['ballot', 'pick', 'event', 'remind-day', 'remind-soon', 'wrap'] as const;
export type StepKind = (typeof STEPS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A session's wrap-up is still done this long after it ended (the bot was down). */
export const WRAP_CATCH_UP_MS = 7 * DAY;

/** Whether a session falls on this local date. */
export function isSessionDate(plan: SessionPlan, localDate: string): boolean {
  if (weekdayOf(localDate) !== plan.day) return false;
  if (plan.anchor && localDate < plan.anchor) return false;
  if (plan.cadence === 'weekly' || !plan.anchor) return true;
  const weeks = Math.round((Date.parse(localDate) - Date.parse(plan.anchor)) / (7 * DAY));
  return weeks % 2 === 0;
}

/**
 * A session's timeline. The ballot opens `ballotDays` before it; the pick comes the day before at the
 * channel's digest time, and at the latest an hour before the day-before reminder; reminders a day and a
 * quarter of an hour before; the wrap-up at its end.
 */
export function sessionTimes(plan: SessionPlan, localDate: string): SessionTimes {
  const start = zonedTimeToUtc(localDate, plan.time, plan.timezone);
  // The day before, as the digest's timezone reckons days.
  const before = localDateIn(plan.digestTimezone, new Date(start.getTime() - DAY));
  const dayBefore = zonedTimeToUtc(before, plan.digestTime, plan.digestTimezone);
  return {
    localDate,
    start,
    end: new Date(start.getTime() + plan.minutes * 60_000),
    ballot: new Date(start.getTime() - plan.ballotDays * DAY),
    pick: new Date(Math.min(dayBefore.getTime(), start.getTime() - 25 * HOUR)),
    remindDay: new Date(start.getTime() - DAY),
    remindSoon: new Date(start.getTime() - 15 * 60_000),
  };
}

/** The steps due at `now`, in order. A step too late to be of use (a reminder after the start) is not. */
export function dueSteps(times: SessionTimes, now: Date): StepKind[] {
  const t = now.getTime();
  const within = (from: Date, until: Date) => t >= from.getTime() && t < until.getTime();
  const due: Record<StepKind, boolean> = {
    ballot: within(times.ballot, times.pick),
    pick: within(times.pick, times.start),
    event: within(times.pick, times.start),
    // Once the quarter-hour reminder is due, the day's would only say the same thing, later.
    'remind-day': within(times.remindDay, times.remindSoon),
    'remind-soon': within(times.remindSoon, times.start),
    wrap: within(times.end, new Date(times.end.getTime() + WRAP_CATCH_UP_MS)),
  };
  return STEPS.filter((step) => due[step]);
}

/** Sessions whose steps may be due at `now`: from a week before to the ballot's reach after. */
export function sessionsAround(plan: SessionPlan, now: Date): SessionTimes[] {
  const today = localDateIn(plan.timezone, now);
  const found: SessionTimes[] = [];
  for (let offset = -8; offset <= plan.ballotDays + 1; offset++) {
    const date = addDays(today, offset);
    if (isSessionDate(plan, date)) found.push(sessionTimes(plan, date));
  }
  return found;
}

/** The first session that has not started by `now` (after `skip` of them). */
export function nextSession(plan: SessionPlan, now: Date, skip = 0): SessionTimes {
  let date = localDateIn(plan.timezone, now);
  let left = skip;
  for (;;) {
    if (isSessionDate(plan, date)) {
      const times = sessionTimes(plan, date);
      if (times.start > now) {
        if (left === 0) return times;
        left--;
      }
    }
    date = addDays(date, 1);
  }
}
