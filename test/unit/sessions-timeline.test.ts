import { describe, expect, it } from 'vitest';
import {
  dueSteps,
  isSessionDate,
  nextSession,
  type SessionPlan,
  sessionsAround,
  sessionTimes,
} from '../../src/sessions/timeline.js';

const plan = (over: Partial<SessionPlan> = {}): SessionPlan => ({
  day: 5,
  time: '15:00',
  timezone: 'Europe/Berlin',
  cadence: 'weekly',
  anchor: '2026-10-02',
  minutes: 60,
  ballotDays: 2,
  digestTime: '09:00',
  digestTimezone: 'Europe/Berlin',
  ...over,
});
const iso = (d: Date) => d.toISOString().slice(0, 16);

describe('a session timeline', () => {
  it('opens the ballot two days before, picks the morning before, reminds a day and 15 minutes before', () => {
    const t = sessionTimes(plan(), '2026-12-11');
    expect([t.ballot, t.pick, t.remindDay, t.remindSoon, t.start, t.end].map(iso)).toEqual([
      '2026-12-09T14:00',
      '2026-12-10T08:00',
      '2026-12-10T14:00',
      '2026-12-11T13:45',
      '2026-12-11T14:00',
      '2026-12-11T15:00',
    ]);
  });

  it('keeps the wall-clock time across the end of summer time, and the pick an hour before the reminder at the latest', () => {
    // Berlin moves its clocks back on Sunday 25 Oct 2026: 15:00 is 13:00 UTC before and 14:00 after.
    expect(iso(sessionTimes(plan(), '2026-10-23').start)).toBe('2026-10-23T13:00');
    expect(iso(sessionTimes(plan(), '2026-10-30').start)).toBe('2026-10-30T14:00');
    const late = sessionTimes(plan({ time: '08:00', digestTime: '09:00' }), '2026-12-11');
    expect(iso(late.pick)).toBe('2026-12-10T06:00');
    expect(late.remindDay.getTime() - late.pick.getTime()).toBe(3_600_000);
  });

  it('meets every other week counted from its first session, and never before it', () => {
    const biweekly = plan({ cadence: 'biweekly', anchor: '2026-12-04' });
    expect(
      ['2026-11-20', '2026-11-27', '2026-12-04', '2026-12-11', '2026-12-18', '2027-01-01'].map((d) =>
        isSessionDate(biweekly, d),
      ),
    ).toEqual([false, false, true, false, true, true]);
    expect(isSessionDate(plan({ anchor: '2026-12-11' }), '2026-12-04')).toBe(false);
    expect(nextSession(biweekly, new Date('2026-12-05T00:00:00Z')).localDate).toBe('2026-12-18');
    expect(nextSession(plan(), new Date('2026-12-11T14:30:00Z'), 1).localDate).toBe('2026-12-25');
  });

  it('has each step due from its time until it would be of no use', () => {
    const t = sessionTimes(plan(), '2026-12-11');
    const at = (s: string) => dueSteps(t, new Date(`${s}Z`));
    expect(at('2026-12-09T13:59')).toEqual([]);
    expect(at('2026-12-09T14:00')).toEqual(['ballot']);
    expect(at('2026-12-10T08:00')).toEqual(['pick', 'event']);
    expect(at('2026-12-11T13:40')).toEqual(['pick', 'event', 'remind-day']);
    expect(at('2026-12-11T13:50')).toEqual(['pick', 'event', 'remind-soon']);
    // Once it has started, nothing is announced any more; the wrap-up waits for its end, for up to a week.
    expect(at('2026-12-11T14:30')).toEqual([]);
    expect(at('2026-12-11T15:00')).toEqual(['wrap']);
    expect(at('2026-12-18T14:59')).toEqual(['wrap']);
    expect(at('2026-12-18T15:00')).toEqual([]);
  });

  it('finds the sessions whose steps may be due: last week’s wrap-up and the ballots ahead', () => {
    const dates = sessionsAround(plan({ ballotDays: 3 }), new Date('2026-12-09T12:00:00Z')).map(
      (t) => t.localDate,
    );
    expect(dates).toEqual(['2026-12-04', '2026-12-11']);
  });
});
