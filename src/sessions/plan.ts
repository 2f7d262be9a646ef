import type { ChannelRow } from '../../db/repositories/channels.js';
import { shortWhen } from '../domain/present.js';
import type { SessionPlan, SessionTimes } from './timeline.js';

/** The channel's session plan, or null while sessions are off. */
export function planOf(channel: ChannelRow): SessionPlan | null {
  if (!channel.sessionEnabled) return null;
  return {
    day: channel.sessionDay,
    time: channel.sessionTime,
    timezone: sessionZone(channel),
    cadence: channel.sessionCadence,
    anchor: channel.sessionAnchor,
    minutes: channel.sessionMinutes,
    ballotDays: channel.ballotDays,
    digestTime: channel.digestTime,
    digestTimezone: channel.timezone,
  };
}

export function sessionZone(channel: ChannelRow): string {
  return channel.sessionTimezone ?? channel.timezone;
}

/** `Fri 12 Dec 15:00`, in the given zone. */
export const when = shortWhen;

/** `15:00`, in the given zone. */
export function clockTime(at: Date, timezone: string): string {
  return at.toLocaleTimeString('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `weekly on Friday at 15:00 Europe/Berlin, 60 min`. */
export function describePlan(plan: SessionPlan): string {
  const every = plan.cadence === 'weekly' ? 'weekly' : 'every other week';
  return `${every} on ${DAY_NAMES[plan.day]} at ${plan.time} ${plan.timezone}, ${plan.minutes} min`;
}

/** What happens before and after one session, each step when it happens. */
export function describeTimes(times: SessionTimes, timezone: string): string[] {
  return [
    `• Ballot of the top 3 papers: ${when(times.ballot, timezone)}`,
    `• Pick announced, ballot closed: ${when(times.pick, timezone)}`,
    `• Reminders: ${when(times.remindDay, timezone)} and ${when(times.remindSoon, timezone)}`,
    `• Marked discussed, notes asked for: ${when(times.end, timezone)}`,
  ];
}
