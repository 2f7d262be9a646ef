import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/client.js';
import { findChannel, upsertChannelSettings } from '../../db/repositories/channels.js';
import { recordDiscussion } from '../../db/repositories/discussions.js';
import { paperExists } from '../../db/repositories/papers.js';
import { postByMessage, recordPost } from '../../db/repositories/posts.js';
import { savePaper, setWeeklyReadingList } from '../../db/repositories/reading-list.js';
import { recordShare } from '../../db/repositories/shares.js';
import { restoreVote } from '../../db/repositories/votes.js';
import { describeZodError, UserError } from '../domain/errors.js';
import { normalisePaper } from '../domain/paper-input.js';
import { upsertPapers } from '../search/store.js';
import { type ExportRecord, exportRecordSchema } from './records.js';

export interface ImportReport {
  /** Records that added or changed something, by type. */
  imported: Record<ExportRecord['type'], number>;
  /** Valid records the database already held as they are. */
  unchanged: number;
  skipped: { line: number; reason: string }[];
}

/** What one record did: wrote something, found it all already there, or could not be applied (why). */
type Applied = 'changed' | 'unchanged' | { problem: string };

/**
 * Reads a workspace export back. Idempotent: importing the same file twice changes nothing the second
 * time, and a vote keeps whichever of the database's and the file's events is newer.
 */
export async function importWorkspace(db: Db, path: string): Promise<ImportReport> {
  const report: ImportReport = {
    imported: { channel: 0, paper: 0, post: 0, vote: 0, share: 0, saved: 0, person: 0, discussion: 0 },
    unchanged: 0,
    skipped: [],
  };
  const channelPks = new Map<string, number>();
  const stream = createReadStream(path, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new UserError(`no such file: ${path}`) : err),
    );
  });
  await opened;
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (!text.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      report.skipped.push({ line, reason: 'not valid JSON' });
      continue;
    }
    const parsed = exportRecordSchema.safeParse(raw);
    if (!parsed.success) {
      report.skipped.push({ line, reason: describeZodError(parsed.error) });
      continue;
    }
    const applied = await apply(db, parsed.data, channelPks);
    if (typeof applied === 'object') report.skipped.push({ line, reason: applied.problem });
    else if (applied === 'changed') report.imported[parsed.data.type]++;
    else report.unchanged++;
  }
  return report;
}

const changedIf = (wrote: unknown): Applied => (wrote ? 'changed' : 'unchanged');

/** Writes one record. */
async function apply(db: Db, record: ExportRecord, channelPks: Map<string, number>): Promise<Applied> {
  const channelPk =
    'channelId' in record && record.type !== 'channel' ? channelPks.get(record.channelId) : undefined;
  const needsChannel = record.type === 'post' || record.type === 'vote' || record.type === 'share';
  if (needsChannel && channelPk === undefined)
    return { problem: `channel ${record.channelId} has no channel record before it` };
  switch (record.type) {
    case 'channel': {
      const { tasteSlots, alertVotes, voteWith, ...rest } = record.settings;
      const ref = {
        platform: record.platform,
        workspaceId: record.workspaceId,
        channelId: record.channelId,
        ...(record.name ? { name: record.name } : {}),
      };
      const settings = {
        ...rest,
        ...(tasteSlots !== undefined ? { tasteSlots } : {}),
        ...(alertVotes !== undefined ? { alertVotes } : {}),
        ...(voteWith !== undefined ? { voteWith } : {}),
      };
      const before = await findChannel(db, ref);
      channelPks.set(record.channelId, await upsertChannelSettings(db, ref, settings));
      return changedIf(
        !before ||
          Object.entries(settings).some(
            ([key, value]) => !isDeepStrictEqual(before[key as keyof typeof before], value),
          ),
      );
    }
    case 'paper': {
      const counts = await upsertPapers(db, [
        normalisePaper({ ...record, anyId: record.arxivId, source: 'import' }),
      ]);
      return changedIf(counts.new + counts.updated > 0);
    }
    case 'post':
      return changedIf(
        await recordPost(db, {
          channelId: channelPk!,
          paperId: record.paperId,
          kind: record.kind,
          messageId: record.messageId,
          threadId: record.threadId,
          postedBy: record.postedBy,
          createdAt: record.createdAt,
        }),
      );
    case 'vote': {
      const post = await postByMessage(db, channelPk!, record.messageId);
      if (!post)
        return { problem: `vote on message ${record.messageId}, which has no post record before it` };
      return changedIf(
        await restoreVote(db, {
          postId: post.id,
          userId: record.userId,
          emoji: record.emoji,
          weight: record.weight,
          active: record.active,
          eventAt: record.eventAt,
        }),
      );
    }
    case 'share':
      return changedIf(
        await recordShare(db, {
          channelId: channelPk!,
          paperId: record.paperId,
          userId: record.userId,
          userName: record.userName,
          sourceMessageId: record.sourceMessageId,
          createdAt: record.createdAt,
        }),
      );
    case 'saved': {
      const ws = { platform: record.platform, workspaceId: record.workspaceId };
      if (!(await paperExists(db, record.paperId)))
        return { problem: `saved paper ${record.paperId} has no paper record before it` };
      return changedIf(await savePaper(db, ws, record.userId, record.paperId, record.savedAt));
    }
    case 'person':
      return changedIf(
        await setWeeklyReadingList(
          db,
          { platform: record.platform, workspaceId: record.workspaceId },
          record.userId,
          record.weeklyReadingList,
        ),
      );
    case 'discussion':
      return changedIf(
        await recordDiscussion(
          db,
          { platform: record.platform, workspaceId: record.workspaceId },
          {
            paperId: record.paperId,
            votes: record.votes,
            discussedAt: record.discussedAt,
            discussedBy: record.discussedBy,
          },
        ),
      );
  }
}
