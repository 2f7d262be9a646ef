import type { Db } from '../../db/client.js';
import { allChannels, workspaceChannels } from '../../db/repositories/channels.js';
import { discussionsOf } from '../../db/repositories/discussions.js';
import { paperRowsById } from '../../db/repositories/papers.js';
import { postsInChannels } from '../../db/repositories/posts.js';
import { peopleInWorkspace, savedInWorkspace } from '../../db/repositories/reading-list.js';
import { sharesInChannels } from '../../db/repositories/shares.js';
import { votesOnPosts } from '../../db/repositories/votes.js';
import type { Platform } from '../domain/types.js';
import type { ExportRecord } from './records.js';

/** A workspace this database holds: the id `export --workspace` takes, and its channels' names. */
export interface WorkspaceListing {
  platform: Platform;
  workspaceId: string;
  channels: string[];
}

export async function listWorkspaces(db: Db): Promise<WorkspaceListing[]> {
  const byKey = new Map<string, WorkspaceListing>();
  for (const row of await allChannels(db)) {
    const key = `${row.platform}:${row.workspaceId}`;
    const listing = byKey.get(key) ?? { platform: row.platform, workspaceId: row.workspaceId, channels: [] };
    listing.channels.push(row.name ?? row.channelId);
    byKey.set(key, listing);
  }
  return [...byKey.values()];
}

/**
 * Everything one workspace did (channels and their settings, the bot's paper posts, votes, shares,
 * discussions, and the papers they point to), as records for JSON Lines: a backup, or a way to leave.
 */
export async function* exportWorkspace(
  db: Db,
  workspaceId: string,
  platform?: Platform,
): AsyncGenerator<ExportRecord> {
  const channelRows = await workspaceChannels(db, workspaceId, platform);
  if (channelRows.length === 0) return;
  const ids = channelRows.map((c) => c.id);
  const byPk = new Map(channelRows.map((c) => [c.id, c]));
  const postRows = await postsInChannels(db, ids);
  const shareRows = await sharesInChannels(db, ids);
  const platforms = [...new Set(channelRows.map((c) => c.platform))];
  const discussionRows = await discussionsOf(db, workspaceId, platforms);
  const readers = await Promise.all(
    platforms.map(async (p) => {
      const ws = { platform: p, workspaceId };
      return { ws, saved: await savedInWorkspace(db, ws), people: await peopleInWorkspace(db, ws) };
    }),
  );
  const savedRows = readers.flatMap((r) => r.saved);
  const paperIds = [
    ...new Set([...postRows, ...shareRows, ...discussionRows, ...savedRows].map((r) => r.paperId)),
  ];
  const paperRows = [...(await paperRowsById(db, paperIds)).values()];

  for (const c of channelRows) {
    yield {
      type: 'channel',
      platform: c.platform,
      workspaceId: c.workspaceId,
      channelId: c.channelId,
      name: c.name,
      settings: {
        digestEnabled: c.digestEnabled,
        digestTime: c.digestTime,
        timezone: c.timezone,
        days: c.days,
        digestSize: c.digestSize,
        follows: c.follows,
        mutes: c.mutes,
        emptyNote: c.emptyNote,
        pickEnabled: c.pickEnabled,
        pickDay: c.pickDay,
        pickTime: c.pickTime,
        recapEnabled: c.recapEnabled,
        tasteSlots: c.tasteSlots,
        alertVotes: c.alertVotes,
        voteWith: c.voteWith,
      },
    };
  }
  for (const p of paperRows) {
    yield {
      type: 'paper',
      id: p.id,
      arxivId: p.arxivId,
      title: p.title,
      abstract: p.abstract,
      authors: p.authors,
      categories: p.categories,
      publishedAt: p.publishedAt,
      url: p.url,
    };
  }
  const postById = new Map(postRows.map((p) => [p.id, p]));
  for (const p of postRows) {
    yield {
      type: 'post',
      channelId: byPk.get(p.channelId)!.channelId,
      messageId: p.messageId,
      paperId: p.paperId,
      kind: p.kind,
      threadId: p.threadId,
      postedBy: p.postedBy,
      createdAt: p.createdAt,
    };
  }
  const voteRows = await votesOnPosts(db, [...postById.keys()]);
  for (const v of voteRows) {
    const post = postById.get(v.postId)!;
    yield {
      type: 'vote',
      channelId: byPk.get(post.channelId)!.channelId,
      messageId: post.messageId,
      userId: v.userId,
      emoji: v.emoji,
      weight: v.weight,
      active: v.active,
      eventAt: v.eventAt,
    };
  }
  for (const s of shareRows) {
    yield {
      type: 'share',
      channelId: byPk.get(s.channelId)!.channelId,
      paperId: s.paperId,
      userId: s.userId,
      userName: s.userName,
      sourceMessageId: s.sourceMessageId,
      createdAt: s.createdAt,
    };
  }
  for (const { ws, saved, people } of readers) {
    for (const s of saved) yield { type: 'saved', ...ws, ...s };
    for (const p of people) yield { type: 'person', ...ws, ...p };
  }
  for (const d of discussionRows) {
    yield {
      type: 'discussion',
      platform: d.platform,
      workspaceId: d.workspaceId,
      paperId: d.paperId,
      votes: d.votes,
      discussedAt: d.discussedAt,
      discussedBy: d.discussedBy,
    };
  }
}
