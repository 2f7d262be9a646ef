import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channels } from '../../db/schema.js';
import type { ChannelRef } from '../domain/types.js';

export type ChannelRow = typeof channels.$inferSelect;

/** The channel's row, created with default settings the first time the bot hears from it. */
export async function ensureChannel(db: Db, ref: ChannelRef): Promise<ChannelRow> {
  const [row] = await db
    .insert(channels)
    .values({
      platform: ref.platform,
      workspaceId: ref.workspaceId,
      channelId: ref.channelId,
      name: ref.name,
    })
    .onConflictDoUpdate({
      target: [channels.platform, channels.workspaceId, channels.channelId],
      set: { name: sql`coalesce(excluded.name, ${channels.name})` },
    })
    .returning();
  if (!row) throw new Error(`could not record channel ${ref.platform}:${ref.channelId}`);
  return row;
}

export function channelRefOf(row: ChannelRow): ChannelRef {
  return {
    platform: row.platform,
    workspaceId: row.workspaceId,
    channelId: row.channelId,
    ...(row.name ? { name: row.name } : {}),
  };
}
