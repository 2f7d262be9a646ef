import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { ChannelRef, Platform } from '../../src/domain/types.js';
import type { Db } from '../client.js';
import { channels } from '../schema.js';

export type ChannelRow = typeof channels.$inferSelect;

/** A channel's identity as a row to insert. */
const keyOf = (ref: ChannelRef) => ({
  platform: ref.platform,
  workspaceId: ref.workspaceId,
  channelId: ref.channelId,
  name: ref.name ?? null,
});
const KEY = [channels.platform, channels.workspaceId, channels.channelId];

/** The channel's row, created with default settings the first time the bot hears from it. */
export async function ensureChannel(db: Db, ref: ChannelRef): Promise<ChannelRow> {
  const [row] = await db
    .insert(channels)
    .values(keyOf(ref))
    .onConflictDoUpdate({
      target: KEY,
      set: { name: sql`coalesce(excluded.name, ${channels.name})` },
    })
    .returning();
  if (!row) throw new Error(`could not record channel ${ref.platform}:${ref.channelId}`);
  return row;
}

/** The channel's row if the bot already knows it; hearing from a channel this way does not register it. */
export async function findChannel(db: Db, ref: ChannelRef): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(
      and(
        eq(channels.platform, ref.platform),
        eq(channels.workspaceId, ref.workspaceId),
        eq(channels.channelId, ref.channelId),
      ),
    );
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

export async function channelById(db: Db, channelPk: number): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.id, channelPk));
  return row;
}

/** Changes a channel's settings. */
export async function updateChannel(db: Db, channelPk: number, set: Partial<ChannelRow>): Promise<void> {
  await db.update(channels).set(set).where(eq(channels.id, channelPk));
}

/** Channels on these platforms with a digest, a pick, a recap or sessions switched on. */
export async function channelsWithSchedules(db: Db, platforms: readonly Platform[]): Promise<ChannelRow[]> {
  if (platforms.length === 0) return [];
  return db
    .select()
    .from(channels)
    .where(
      and(
        inArray(channels.platform, [...platforms]),
        or(
          eq(channels.digestEnabled, true),
          eq(channels.pickEnabled, true),
          eq(channels.recapEnabled, true),
          eq(channels.sessionEnabled, true),
        ),
      ),
    );
}

/** Creates a channel with these settings, or sets them on the channel that exists; its primary key. */
export async function upsertChannelSettings(
  db: Db,
  ref: ChannelRef,
  settings: Partial<Omit<ChannelRow, 'id' | 'platform' | 'workspaceId' | 'channelId' | 'name'>>,
): Promise<number> {
  const [row] = await db
    .insert(channels)
    .values({ ...keyOf(ref), ...settings })
    .onConflictDoUpdate({
      target: KEY,
      set: { ...settings },
    })
    .returning({ id: channels.id });
  if (!row) throw new Error(`could not record channel ${ref.platform}:${ref.channelId}`);
  return row.id;
}

/** A workspace's channels, on one platform or all. */
export async function workspaceChannels(
  db: Db,
  workspaceId: string,
  platform?: Platform,
): Promise<ChannelRow[]> {
  return db
    .select()
    .from(channels)
    .where(
      and(eq(channels.workspaceId, workspaceId), platform ? eq(channels.platform, platform) : undefined),
    );
}

/** Every channel the bot knows, ordered by platform, workspace and name: the workspaces a database holds. */
export async function allChannels(db: Db): Promise<ChannelRow[]> {
  return db
    .select()
    .from(channels)
    .orderBy(channels.platform, channels.workspaceId, sql`coalesce(${channels.name}, ${channels.channelId})`);
}

/** A workspace's channels where the bot is at work: it posted there, or sessions are set. */
export async function activeChannels(
  db: Db,
  ws: { platform: Platform; workspaceId: string },
): Promise<ChannelRow[]> {
  return db
    .select()
    .from(channels)
    .where(
      and(
        eq(channels.platform, ws.platform),
        eq(channels.workspaceId, ws.workspaceId),
        sql`(${channels.sessionEnabled} or exists (select 1 from posts p where p.channel_id = ${channels.id})
             or exists (select 1 from digest_runs r where r.channel_id = ${channels.id}))`,
      ),
    )
    .orderBy(channels.name, channels.channelId);
}
