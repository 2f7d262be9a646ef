import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { digestRuns, posts } from '../../db/schema.js';
import type { ChannelRow } from '../channels/channels.js';
import { channelRefOf } from '../channels/channels.js';
import type { ChatAdapter } from '../core/ports.js';
import type { MessageRef } from '../core/types.js';
import { digestsPosted, repliesPosted } from '../ops/metrics.js';
import { loadPaperViews } from '../papers/view.js';
import { formatDate } from '../schedule/time.js';
import { choosePapers } from './choose.js';
import { type ChannelPacer, paced } from './pacer.js';

export type DigestRun = typeof digestRuns.$inferSelect;

export type DigestOutcome =
  | { status: 'posted'; run: DigestRun; replies: number; thread: MessageRef }
  | { status: 'already-posted'; run: DigestRun }
  | { status: 'busy'; run: DigestRun }
  | { status: 'empty'; run: DigestRun };

export interface DigestDeps {
  db: Db;
  adapter: ChatAdapter;
  /** This process, so a lease names its holder. */
  instanceId: string;
  now: () => Date;
  /** How long a claim holds before another instance may take the run over. */
  leaseMs?: number;
  /** Spaces this adapter's messages per channel; none when the platform needs no pacing. */
  pacer?: ChannelPacer;
}

const DEFAULT_LEASE_MS = 5 * 60_000;

/**
 * Posts a channel's digest for one local date, exactly once. The run row is claimed before anything is
 * posted and fixes which papers it holds; each reply is recorded as it goes, so a run that dies at any
 * point is resumed in the same thread with only the missing papers.
 */
export async function runDigest(
  deps: DigestDeps,
  channel: ChannelRow,
  localDate: string,
): Promise<DigestOutcome> {
  const { db, adapter } = deps;
  const run = await claimRun(deps, channel, localDate);
  if (run.status === 'done') return { status: 'already-posted', run };
  if (run.leaseOwner !== deps.instanceId) return { status: 'busy', run };
  const ref = channelRefOf(channel);
  if (run.paperIds.length === 0) {
    if (channel.emptyNote && !run.parentMessageId) {
      const note = await adapter.post(ref, {
        kind: 'text',
        text: `Nothing new to read today (${formatDate(localDate)}).`,
      });
      await db.update(digestRuns).set({ parentMessageId: note.messageId }).where(eq(digestRuns.id, run.id));
    }
    const done = await finish(db, run);
    return { status: 'empty', run: done };
  }
  const views = await loadPaperViews(db, run.paperIds);
  let parentId = run.parentMessageId;
  const resuming = parentId !== null;
  if (!parentId) {
    const parent = await paced(deps.pacer, ref.channelId, () =>
      adapter.post(ref, {
        kind: 'digest-header',
        title: `Trending papers — ${formatDate(localDate)}`,
        count: run.paperIds.length,
        voteHint: 'React with 👍 🔥 or 🚀 to vote; the most-voted paper becomes the next discussion.',
      }),
    );
    parentId = parent.messageId;
    await db.update(digestRuns).set({ parentMessageId: parentId }).where(eq(digestRuns.id, run.id));
  }
  const thread: MessageRef = { channel: ref, messageId: parentId };
  const done = new Set(
    (await db.select({ paperId: posts.paperId }).from(posts).where(eq(posts.digestRunId, run.id))).map(
      (p) => p.paperId,
    ),
  );
  if (resuming && adapter.threadReplies) {
    for (const posted of await adapter.threadReplies(thread)) {
      if (!posted.paperId || done.has(posted.paperId) || !run.paperIds.includes(posted.paperId)) continue;
      await recordReply(db, channel, run, posted.paperId, posted.messageId, parentId);
      done.add(posted.paperId);
    }
  }
  let replies = 0;
  for (const paperId of run.paperIds) {
    if (done.has(paperId)) continue;
    const paper = views.get(paperId);
    if (!paper) continue;
    const reason = run.reasons[paperId];
    const message = await paced(deps.pacer, ref.channelId, () =>
      adapter.reply(thread, { kind: 'paper', paper, ...(reason ? { reason } : {}) }),
    );
    await recordReply(db, channel, run, paperId, message.messageId, parentId);
    repliesPosted.inc();
    replies++;
  }
  const finished = await finish(db, run);
  digestsPosted.inc();
  return { status: 'posted', run: finished, replies, thread };
}

async function recordReply(
  db: Db,
  channel: ChannelRow,
  run: DigestRun,
  paperId: string,
  messageId: string,
  threadId: string,
): Promise<void> {
  await db
    .insert(posts)
    .values({ channelId: channel.id, paperId, kind: 'digest', messageId, threadId, digestRunId: run.id })
    .onConflictDoNothing();
}

/** Creates the run (with its papers) or finds it, then takes its lease unless another live instance holds it. */
async function claimRun(deps: DigestDeps, channel: ChannelRow, localDate: string): Promise<DigestRun> {
  const { db } = deps;
  const existing = await findRun(db, channel.id, localDate);
  if (!existing) {
    const picks = await choosePapers(db, channel, deps.now());
    await db
      .insert(digestRuns)
      .values({
        channelId: channel.id,
        localDate,
        paperIds: picks.map((p) => p.paperId),
        reasons: Object.fromEntries(picks.map((p) => [p.paperId, p.reason])),
      })
      .onConflictDoNothing();
  }
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  const [leased] = await db
    .update(digestRuns)
    .set({ leaseOwner: deps.instanceId, leaseUntil })
    .where(
      and(
        eq(digestRuns.channelId, channel.id),
        eq(digestRuns.localDate, localDate),
        eq(digestRuns.status, 'posting'),
        or(
          isNull(digestRuns.leaseUntil),
          lt(digestRuns.leaseUntil, now),
          eq(digestRuns.leaseOwner, deps.instanceId),
        ),
      ),
    )
    .returning();
  if (leased) return leased;
  const current = await findRun(db, channel.id, localDate);
  if (!current) throw new Error(`digest run for channel ${channel.id} on ${localDate} vanished`);
  return current;
}

async function findRun(db: Db, channelPk: number, localDate: string): Promise<DigestRun | undefined> {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(and(eq(digestRuns.channelId, channelPk), eq(digestRuns.localDate, localDate)));
  return row;
}

async function finish(db: Db, run: DigestRun): Promise<DigestRun> {
  const [row] = await db
    .update(digestRuns)
    .set({ status: 'done', finishedAt: sql`now()`, leaseOwner: null, leaseUntil: null })
    .where(eq(digestRuns.id, run.id))
    .returning();
  return row ?? run;
}
