import type { ChannelRow } from '../../db/repositories/channels.js';
import type { SessionRow } from '../../db/repositories/sessions.js';
import { cardButtons, mention } from '../domain/present.js';
import { localDateIn } from '../domain/time.js';
import type {
  BallotOption,
  Button,
  CalendarEvent,
  OutboundMessage,
  PaperView,
  SessionView,
} from '../domain/types.js';
import { clockTime, sessionZone, when } from './plan.js';

/** How a command or a button names a session: `s17`. */
export const sessionRef = (session: Pick<SessionRow, 'id'>) => `s${session.id}`;

export function presenterOf(session: SessionRow): SessionView['presenter'] {
  return session.presenterId ? { id: session.presenterId, name: session.presenterName } : null;
}

export function sessionView(
  session: SessionRow,
  channel: ChannelRow,
  counts: { going: number; notGoing: number } = { going: 0, notGoing: 0 },
): SessionView {
  return {
    start: session.startsAt,
    end: session.endsAt,
    timezone: sessionZone(channel),
    where: session.where,
    presenter: presenterOf(session),
    ...counts,
  };
}

/** Going / Can't make it, with their counts, for doors that show buttons. */
function rsvpButtons(session: SessionRow, view: SessionView): Button[] {
  return [
    { label: `Going (${view.going})`, command: `rsvp going ${sessionRef(session)}`, style: 'primary' },
    { label: `Can't make it (${view.notGoing})`, command: `rsvp no ${sessionRef(session)}` },
  ];
}

/** The pick: the paper the session will discuss, when and where, who presents, and RSVP buttons. */
export function sessionPickMessage(
  session: SessionRow,
  view: SessionView,
  paper: PaperView | null,
  reason: string,
): OutboundMessage {
  const heading = `Next session: ${when(view.start, view.timezone)} (${view.timezone})`;
  if (!paper) {
    const presenter = view.presenter ? `${mention(view.presenter)}, choose` : 'Choose';
    return {
      kind: 'text',
      text: `${heading}\nNo paper has votes yet. ${presenter} one with \`/papers pick <arXiv id>\`, or vote by reacting to papers.`,
    };
  }
  return {
    kind: 'paper',
    paper,
    heading,
    reason,
    session: view,
    buttons: [...rsvpButtons(session, view), ...cardButtons(paper.id, 'reactions')],
  };
}

/** The ballot: up to three papers, one vote each, open until the pick. */
export function ballotMessage(
  session: SessionRow,
  channel: ChannelRow,
  options: BallotOption[],
  closesAt: Date,
  closed?: { winner: number | null; reason: string },
): OutboundMessage {
  const timezone = sessionZone(channel);
  return {
    kind: 'ballot',
    question: `Which paper for the session on ${when(session.startsAt, timezone)}? One vote each; change it until the pick.`,
    options,
    closesAt,
    timezone,
    ...(closed ? { closed } : {}),
    buttons: closed
      ? []
      : options.map((option, i) => ({
          label: `Vote ${i + 1} (${option.votes})`,
          command: `vote ${i + 1} ${sessionRef(session)}`,
        })),
  };
}

function paperLine(paper: PaperView | null, view: SessionView): string {
  const who = view.presenter ? `${mention(view.presenter)} presents` : 'The session discusses';
  const what = paper ? `“${paper.title}”` : 'a paper still to be chosen (`/papers pick <arXiv id>`)';
  const where = view.where ? ` Where: ${view.where}.` : '';
  return `${who} ${what}.${where} ${view.going} going.`;
}

/** A reminder; `now` tells the day reminder whether the session is tomorrow or, posted late, today. */
export function reminderText(
  kind: 'remind-day' | 'remind-soon',
  paper: PaperView | null,
  view: SessionView,
  now: Date,
): string {
  const at = clockTime(view.start, view.timezone);
  const day =
    localDateIn(view.timezone, now) === localDateIn(view.timezone, view.start) ? 'Today' : 'Tomorrow';
  const lead =
    kind === 'remind-day' ? `${day} at ${at} (${view.timezone})` : `Starting in 15 minutes (${at})`;
  return `${lead}: ${paperLine(paper, view)}`;
}

export function wrapText(paper: PaperView | null, next: Date | null, timezone: string): string {
  const marked = paper ? ` “${paper.title}” is now marked discussed.` : '';
  const after = next ? ` Next session: ${when(next, timezone)}.` : '';
  return `Thanks for coming! Reply in this thread with your notes and slides.${marked}${after}`;
}

/** The session as a calendar entry. */
export function calendarEvent(
  session: SessionRow,
  paper: PaperView | null,
  channel: ChannelRow,
): CalendarEvent {
  const presenter = session.presenterName ?? session.presenterId;
  const description = [
    paper ? `Paper: ${paper.title}${paper.url ? ` (${paper.url})` : ''}` : 'Paper: to be chosen',
    presenter ? `Presenter: ${presenter}` : null,
    `Channel: ${channel.name ?? channel.channelId}`,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    uid: `papers-session-${session.id}@${channel.platform}.${channel.workspaceId}`,
    title: paper ? `Reading group: ${paper.title}` : 'Reading group',
    description,
    start: session.startsAt,
    end: session.endsAt,
    location: session.where,
  };
}
