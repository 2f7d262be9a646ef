import { type ChannelRow, updateChannel } from '../../db/repositories/channels.js';
import { rsvpCounts, upcomingSessions, updateSession } from '../../db/repositories/sessions.js';
import { UserError } from '../domain/errors.js';
import { mention } from '../domain/present.js';
import { type ActionDeps, cancelUpcoming } from './actions.js';
import { refreshPick, sessionPaper } from './pick.js';
import { describePlan, describeTimes, planOf, sessionZone, when } from './plan.js';
import { presenterAt } from './steps.js';
import { isSessionDate, nextSession, type SessionPlan, sessionTimes } from './timeline.js';

/** When sessions happen, as an admin sets them; what is left out stays as it was. */
export interface SessionSchedule {
  day: number;
  time: string;
  timezone?: string;
  cadence?: 'weekly' | 'biweekly';
  minutes?: number;
  ballotDays?: number;
}

/** Sets the channel's sessions (turning them on) and says when the next one is and what leads up to it. */
export async function setSessionSchedule(
  deps: ActionDeps,
  channel: ChannelRow,
  schedule: SessionSchedule,
): Promise<string> {
  const timezone = schedule.timezone ?? sessionZone(channel);
  const cadence = schedule.cadence ?? channel.sessionCadence;
  const draft: SessionPlan = {
    day: schedule.day,
    time: schedule.time,
    timezone,
    cadence,
    anchor: null,
    minutes: schedule.minutes ?? channel.sessionMinutes,
    ballotDays: schedule.ballotDays ?? channel.ballotDays,
    digestTime: channel.digestTime,
    digestTimezone: channel.timezone,
  };
  // Every other week counts from the first session after now; a change of time or length on the same day
  // and cadence keeps the weeks sessions fall on.
  const sameWeeks =
    channel.sessionEnabled &&
    channel.sessionAnchor !== null &&
    channel.sessionDay === draft.day &&
    channel.sessionCadence === cadence;
  const anchor = sameWeeks
    ? channel.sessionAnchor!
    : nextSession({ ...draft, cadence: 'weekly' }, deps.now()).localDate;
  const set = {
    sessionEnabled: true,
    sessionDay: draft.day,
    sessionTime: draft.time,
    // Fixed here, so a later change of the digest's timezone does not move the sessions.
    sessionTimezone: timezone,
    sessionCadence: cadence,
    sessionAnchor: anchor,
    sessionMinutes: draft.minutes,
    ballotDays: draft.ballotDays,
  };
  await updateChannel(deps.db, channel.id, set);
  const updated: ChannelRow = { ...channel, ...set };
  const plan = { ...draft, anchor };
  // Sessions prepared for times the new plan no longer has are called off; one under way goes on.
  const now = deps.now();
  const cancelled = await cancelUpcoming(deps, updated, (s) => {
    const times = sessionTimes(plan, s.localDate);
    const kept = isSessionDate(plan, s.localDate) && times.start.getTime() === s.startsAt.getTime();
    return kept || s.startsAt <= now;
  });
  const next = nextSession(plan, deps.now());
  return [
    `Reading-group sessions: ${describePlan(plan)}.`,
    `Next session: ${when(next.start, timezone)}.`,
    ...describeTimes(next, timezone),
    ...(cancelled > 0 ? [`Called off ${cancelled} session(s) prepared for the old times.`] : []),
  ].join('\n');
}

/** Turns sessions off: the ones ahead are called off, their ballots closed. */
export async function turnSessionsOff(deps: ActionDeps, channel: ChannelRow): Promise<string> {
  if (!channel.sessionEnabled) throw new UserError('Sessions are already off in this channel.');
  await updateChannel(deps.db, channel.id, { sessionEnabled: false });
  // A session under way goes on to its end (and its wrap-up); the ones ahead are called off.
  const now = deps.now();
  const cancelled = await cancelUpcoming(deps, channel, (s) => s.startsAt <= now);
  const also = cancelled > 0 ? ` The next session is called off.` : '';
  return `Reading-group sessions are off in this channel.${also} \`/papers session fri 15:00\` sets them again.`;
}

/** Where sessions meet, for the next one too; its messages say so where they can. */
export async function setSessionWhere(deps: ActionDeps, channel: ChannelRow, where: string): Promise<string> {
  await updateChannel(deps.db, channel.id, { sessionWhere: where });
  const now = deps.now();
  for (const session of await upcomingSessions(deps.db, channel.id, now)) {
    if (session.status !== 'planned' || session.heldAt) continue;
    const updated = await updateSession(deps.db, session.id, { where });
    await refreshPick(deps, channel, updated);
  }
  return `Sessions meet at ${where}.`;
}

/** A link or a room: text that tries to be a link must be one. */
export function parsePlace(value: string | undefined): string {
  const place = value?.trim().replace(/^<(.+?)(\|[^>]*)?>$/, '$1');
  if (!place) {
    throw new UserError(
      'Where? Give a link or a room, e.g. `/papers session where https://meet.example.org/journal-club` or `/papers session where Room 3.14`.',
    );
  }
  if (place.length > 200) throw new UserError('Keep the place under 200 characters.');
  const looksLikeLink = /^[a-z][a-z0-9+.-]*:|^www\.|\/\//i.test(place);
  if (looksLikeLink) {
    let url: URL | undefined;
    try {
      url = new URL(place);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || !url.hostname.includes('.')) {
      throw new UserError(
        `"${place}" is not a link I can use: give a full https:// address, or name a room (e.g. \`Room 3.14\`).`,
      );
    }
  }
  return place;
}

/** `/papers session`: when the next session is, where, who presents, what it discusses, and what leads up to it. */
export async function describeNextSession(deps: ActionDeps, channel: ChannelRow): Promise<string> {
  const plan = planOf(channel);
  if (!plan) {
    return 'No reading-group sessions in this channel. An admin sets them with `/papers session fri 15:00 Europe/Berlin weekly`; `/papers help session` says more.';
  }
  const now = deps.now();
  const next = nextSession(plan, now);
  const [row] = (await upcomingSessions(deps.db, channel.id, now)).filter(
    (s) => s.localDate === next.localDate,
  );
  const presenterId = row?.pickMessageId
    ? row.presenterId
    : ((await presenterAt(deps.db, channel, next.start))?.userId ?? null);
  const lines = [
    `Next session: ${when(next.start, plan.timezone)} (${plan.timezone}), ${describePlan(plan)}.`,
    row?.status === 'skipped' ? '• Skipped: no session that week.' : null,
    `• Where: ${row?.where ?? channel.sessionWhere ?? 'not set (`/papers session where <link or room>`)'}`,
    `• Presenter: ${presenterId ? mention({ id: presenterId }) : 'nobody in the rotation (`/papers presenters add @name`)'}`,
  ];
  const paper = row ? await sessionPaper(deps.db, row) : null;
  if (paper) lines.push(`• Paper: “${paper.title}”`);
  if (row) {
    const counts = (await rsvpCounts(deps.db, [row.id])).get(row.id);
    lines.push(`• RSVPs: ${counts?.going ?? 0} going, ${counts?.notGoing ?? 0} can't make it`);
  }
  lines.push(...describeTimes(next, plan.timezone));
  return lines.filter(Boolean).join('\n');
}
