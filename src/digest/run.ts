import type { Db } from '../../db/client.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import { channelRefOf } from '../../db/repositories/channels.js';
import {
  createRun,
  type DigestRun,
  findRun,
  finishRun,
  leaseRun,
  setRunParent,
} from '../../db/repositories/digest-runs.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { lastPostAt, papersPostedInRun, recordPost } from '../../db/repositories/posts.js';
import type { ChatAdapter } from '../domain/ports.js';
import { cardButtons, voteHint } from '../domain/present.js';
import { formatDate } from '../domain/time.js';
import type { MessageRef } from '../domain/types.js';
import { digestsPosted, repliesPosted } from '../ops/metrics.js';
import { choosePapers } from './choose.js';

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
  // Only what came after the last paper recorded (or the run's start) can be the one sent unrecorded.
  const alreadyPosted = async (tags: string[], thread?: MessageRef) =>
    !created && adapter.findPosted && tags.length > 0
      ? adapter.findPosted({
          channel: ref,
          tags,
          since: (await lastPostAt(db, run.id)) ?? run.startedAt,
          ...(thread ? { thread } : {}),
        })
      : new Map<string, string>();

  let parentId = run.parentMessageId ?? (await alreadyPosted([parentTag])).get(parentTag) ?? null;
  if (run.paperIds.length === 0) {
    if (channel.emptyNote && !parentId) {
      const text = `Nothing new to read today (${formatDate(localDate)}).`;
      const note = await adapter.post(ref, { kind: 'text', text, tag: parentTag });
      await setRunParent(db, run.id, note.messageId);
    }
    return { status: 'empty', run: await finishRun(db, run) };
  }
  const views = await loadPaperViews(db, run.paperIds);
  if (!parentId) {
    const parent = await adapter.post(ref, {
      kind: 'digest-header',
      title: `Trending papers — ${formatDate(localDate)}`,
      count: run.paperIds.length,
      voteHint: voteHint(channel.voteWith),
      tag: parentTag,
    });
    parentId = parent.messageId;
  }
  if (parentId !== run.parentMessageId) {
    await setRunParent(db, run.id, parentId);
  }
  const thread: MessageRef = { channel: ref, messageId: parentId };
  const done = await papersPostedInRun(db, run.id);
  const missing = run.paperIds.filter((id) => !done.has(id));
  const found = await alreadyPosted(missing.map(replyTag), thread);
  let replies = 0;
  for (const paperId of missing) {
    const paper = views.get(paperId);
    if (!paper) continue;
    const reason = run.reasons[paperId];
    const adopted = found.get(replyTag(paperId));
    const sent = adopted
      ? { messageId: adopted, threadId: parentId }
      : await adapter.reply(thread, {
          kind: 'paper',
          paper,
          ...(reason ? { reason } : {}),
          buttons: cardButtons(paperId, channel.voteWith),
          tag: replyTag(paperId),
        });
    await recordPost(db, {
      channelId: channel.id,
      paperId,
      kind: 'digest',
      messageId: sent.messageId,
      // Its own thread where the door gives each paper one (a forum post), else the digest's.
      threadId: sent.threadId ?? parentId,
      digestRunId: run.id,
    });
    repliesPosted.inc();
    replies++;
  }
  const finished = await finishRun(db, run);
  digestsPosted.inc();
  return { status: 'posted', run: finished, replies, thread };
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
    created = await createRun(db, {
      channelId: channel.id,
      localDate,
      paperIds: picks.map((p) => p.paperId),
      reasons: Object.fromEntries(picks.map((p) => [p.paperId, p.reason])),
    });
  }
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  const leased = await leaseRun(db, channel.id, localDate, {
    owner: deps.instanceId,
    now,
    until: leaseUntil,
  });
  if (leased) return { run: leased, created };
  const current = await findRun(db, channel.id, localDate);
  if (!current) throw new Error(`digest run for channel ${channel.id} on ${localDate} vanished`);
  return { run: current, created: false };
}
