import type { Db } from '../../db/client.js';
import { type ChannelRow, workspaceChannels } from '../../db/repositories/channels.js';
import {
  heldSessionsOf,
  lastHeldSession,
  noteCounts,
  rsvpCounts,
  type SessionRow,
} from '../../db/repositories/sessions.js';
import { mention } from '../domain/present.js';
import type { Workspace } from '../domain/types.js';
import { sessionPaper } from './pick.js';
import { sessionZone, when } from './plan.js';

/** What a held session adds to its paper's line in the history: `presented by @ada, 5 going, 2 notes`. */
export async function sessionFacts(db: Db, ws: Workspace, paperIds: string[]): Promise<Map<string, string>> {
  const channels = await workspaceChannels(db, ws.workspaceId, ws.platform);
  const held = await heldSessionsOf(
    db,
    channels.map((c) => c.id),
    paperIds,
  );
  return describeHeld(db, held);
}

async function describeHeld(db: Db, held: SessionRow[]): Promise<Map<string, string>> {
  const ids = held.map((s) => s.id);
  const [going, notes] = await Promise.all([rsvpCounts(db, ids), noteCounts(db, ids)]);
  const facts = new Map<string, string>();
  for (const session of held) {
    if (!session.paperId || facts.has(session.paperId)) continue;
    const n = notes.get(session.id) ?? 0;
    facts.set(
      session.paperId,
      [
        session.presenterId ? `presented by ${mention({ id: session.presenterId })}` : 'session',
        `${going.get(session.id)?.going ?? 0} going`,
        `${n} ${n === 1 ? 'note' : 'notes'}`,
      ].join(', '),
    );
  }
  return facts;
}

/** Last week's session of the channel, as the Monday recap tells it; null when there was none. */
export async function lastWeeksSession(db: Db, channel: ChannelRow, now: Date): Promise<string | null> {
  const session = await lastHeldSession(db, channel.id, new Date(now.getTime() - 7 * 86_400_000), now);
  if (!session) return null;
  const paper = await sessionPaper(db, session);
  const facts = (await describeHeld(db, [session])).get(session.paperId ?? '') ?? '';
  const what = paper ? `“${paper.title}”` : 'no paper';
  return `Last session (${when(session.startsAt, sessionZone(channel))}): ${what}${facts ? `, ${facts}` : ''}.`;
}
