import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { digestRuns, posts } from '../../db/schema.js';
import type { ChannelRow } from '../channels/channels.js';
import { channelRefOf } from '../channels/channels.js';
import type { ChatAdapter } from '../domain/ports.js';
import { formatDate } from '../domain/time.js';
import type { MessageRef } from '../domain/types.js';
import { digestsPosted, repliesPosted } from '../ops/metrics.js';
import { loadPaperViews } from '../papers/view.js';
import { choosePapers } from './choose.js';

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
  const { run, created } = await claimRun(deps, channel, localDate);
  if (run.status === 'done') return { status: 'already-posted', run };
  if (run.leaseOwner !== deps.instanceId) return { status: 'busy', run };
  const ref = channelRefOf(channel);
  const parentTag = `digest:${run.id}`;
  const replyTag = (paperId: string) => `digest:${run.id}:${paperId}`;
  // A run taken over from a crashed attempt may find its last message already on the platform.
  const alreadyPosted = async (tags: string[], thread?: MessageRef) =>
    !created && adapter.findPosted && tags.length > 0
      ? adapter.findPosted({ channel: ref, tags, ...(thread ? { thread } : {}) })
      : new Map<string, string>();

  let parentId = run.parentMessageId ?? (await alreadyPosted([parentTag])).get(parentTag) ?? null;
  if (run.paperIds.length === 0) {
    if (channel.emptyNote && !parentId) {
      const text = `Nothing new to read today (${formatDate(localDate)}).`;
      const note = await adapter.post(ref, { kind: 'text', text, tag: parentTag });
      await db.update(digestRuns).set({ parentMessageId: note.messageId }).where(eq(digestRuns.id, run.id));
    }
    return { status: 'empty', run: await finish(db, run) };
  }
  const views = await loadPaperViews(db, run.paperIds);
  if (!parentId) {
    const parent = await adapter.post(ref, {
      kind: 'digest-header',
      title: `Trending papers — ${formatDate(localDate)}`,
      count: run.paperIds.length,
      voteHint: 'React with 👍 🔥 or 🚀 to vote; the most-voted paper becomes the next discussion.',
      tag: parentTag,
    });
    parentId = parent.messageId;
  }
  if (parentId !== run.parentMessageId) {
    await db.update(digestRuns).set({ parentMessageId: parentId }).where(eq(digestRuns.id, run.id));
  }
  const thread: MessageRef = { channel: ref, messageId: parentId };
  const recorded = await db
    .select({ paperId: posts.paperId })
    .from(posts)
    .where(eq(posts.digestRunId, run.id));
  const done = new Set(recorded.map((p) => p.paperId));
  const missing = run.paperIds.filter((id) => !done.has(id));
  const found = await alreadyPosted(missing.map(replyTag), thread);
  let replies = 0;
  for (const paperId of missing) {
    const paper = views.get(paperId);
    if (!paper) continue;
    const reason = run.reasons[paperId];
    const messageId =
      found.get(replyTag(paperId)) ??
      (
        await adapter.reply(thread, {
          kind: 'paper',
          paper,
          ...(reason ? { reason } : {}),
          tag: replyTag(paperId),
        })
      ).messageId;
    await recordReply(db, channel, run, paperId, messageId, parentId);
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
async function claimRun(
  deps: DigestDeps,
  channel: ChannelRow,
  localDate: string,
): Promise<{ run: DigestRun; created: boolean }> {
  const { db } = deps;
  const existing = await findRun(db, channel.id, localDate);
  let created = false;
  if (!existing) {
    const picks = await choosePapers(db, channel, deps.now());
    const inserted = await db
      .insert(digestRuns)
      .values({
        channelId: channel.id,
        localDate,
        paperIds: picks.map((p) => p.paperId),
        reasons: Object.fromEntries(picks.map((p) => [p.paperId, p.reason])),
      })
      .onConflictDoNothing()
      .returning({ id: digestRuns.id });
    created = inserted.length > 0;
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
  if (leased) return { run: leased, created };
  const current = await findRun(db, channel.id, localDate);
  if (!current) throw new Error(`digest run for channel ${channel.id} on ${localDate} vanished`);
  return { run: current, created: false };
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
