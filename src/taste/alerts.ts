import type { Db } from '../../db/client.js';
import { channelById, channelRefOf } from '../../db/repositories/channels.js';
import {
  type AlertCandidate,
  alertCandidates,
  claimAlert,
  finishAlert,
} from '../../db/repositories/taste.js';
import { MessageGoneError } from '../domain/errors.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import type { MessageRef } from '../domain/types.js';

export interface AlertDeps {
  db: Db;
  adapter: ChatAdapter;
  log: Logger;
  instanceId: string;
  now: () => Date;
  leaseMs?: number;
}

/** News older than this when the bot first sees it is not announced (a first refresh of old papers). */
const FRESH_MS = 14 * 86_400_000;
const DEFAULT_LEASE_MS = 5 * 60_000;

/** `v3 is out — comments: 22 pages, ICML 2026` or `code released: https://github.com/…`. */
export function alertText(alert: Pick<AlertCandidate, 'kind' | 'key' | 'comment'>): string {
  if (alert.kind === 'code') return `code released: ${alert.key}`;
  return `${alert.key} is out${alert.comment ? ` — comments: ${alert.comment}` : ''}`;
}

/**
 * Announces new versions and code of the papers channels care about, in each paper's own thread (its
 * first message in the channel), each once per channel, version and event: claimed before it is posted,
 * and adopted by its tag if a holder that stopped had sent it. When that first message is gone, the
 * alert goes to the channel with the paper's title instead of being lost.
 */
export async function postAlerts(deps: AlertDeps): Promise<number> {
  const { db, adapter } = deps;
  const now = deps.now();
  let posted = 0;
  for (const alert of await alertCandidates(db, [adapter.platform], new Date(now.getTime() - FRESH_MS))) {
    const claim = await claimAlert(db, alert, deps.instanceId, now, deps.leaseMs ?? DEFAULT_LEASE_MS);
    if (!claim) continue;
    const channel = await channelById(db, alert.channelId);
    if (!channel) continue;
    const ref = channelRefOf(channel);
    const tag = `alert:${claim.id}`;
    const thread: MessageRef = {
      channel: ref,
      messageId: alert.messageId,
      ...(alert.threadId ? { threadId: alert.threadId } : {}),
    };
    // Should the paper's first message be gone, the channel still hears of it, with its title.
    const elsewhere = `“${alert.title}”${alert.url ? ` (${alert.url})` : ''}: ${alertText(alert)}`;
    try {
      const messageId = await send(deps, thread, { text: alertText(alert), elsewhere, tag }, claim.retake);
      await finishAlert(db, claim.id, deps.instanceId, messageId);
      posted++;
    } catch (err) {
      deps.log.error({ err, paper: alert.paperId, channel: alert.channelId }, 'alert failed');
    }
  }
  return posted;
}

async function send(
  deps: AlertDeps,
  thread: MessageRef,
  alert: { text: string; elsewhere: string; tag: string },
  retake: boolean,
): Promise<string> {
  const { adapter } = deps;
  if (retake && adapter.findPosted) {
    // In the thread, or in the channel when the thread was gone.
    for (const where of [{ thread }, {}]) {
      const earlier = (
        await adapter.findPosted({ channel: thread.channel, tags: [alert.tag], ...where })
      ).get(alert.tag);
      if (earlier) return earlier;
    }
  }
  try {
    return (await adapter.reply(thread, { kind: 'text', text: alert.text, tag: alert.tag })).messageId;
  } catch (err) {
    if (!(err instanceof MessageGoneError)) throw err;
    return (await adapter.post(thread.channel, { kind: 'text', text: alert.elsewhere, tag: alert.tag }))
      .messageId;
  }
}
