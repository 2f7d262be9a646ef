import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { channelEvents } from '../schema.js';

export type ChannelEventKind = 'pick' | 'recap';

/** Claims (channel, kind, local date) before anything is posted; the claim's id, or undefined when taken. */
export async function claimChannelEvent(
  db: Db,
  event: { channelId: number; kind: ChannelEventKind; localDate: string },
): Promise<number | undefined> {
  const [claimed] = await db.insert(channelEvents).values(event).onConflictDoNothing().returning();
  return claimed?.id;
}

/** Records the message a claimed event was posted as. */
export async function setChannelEventMessage(db: Db, eventId: number, messageId: string): Promise<void> {
  await db.update(channelEvents).set({ messageId }).where(eq(channelEvents.id, eventId));
}
