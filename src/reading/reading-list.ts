import pLimit from 'p-limit';
import type { Db } from '../../db/client.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import {
  claimReadingListMessage,
  finishReadingListMessage,
  readingListRecipients,
  savedBy,
  savePaper,
  unsavePaper,
} from '../../db/repositories/reading-list.js';
import { UserError } from '../domain/errors.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import type { OutboundMessage, PaperView, Workspace } from '../domain/types.js';

/** Papers a list shows at most (the oldest first); the rest are counted. */
const SHOWN = 10;
const DAY_MS = 86_400_000;

/** Puts a paper on a person's reading list; says how long the list is, or that it was there. */
export async function save(
  db: Db,
  ws: Workspace,
  userId: string,
  paperId: string,
  now: Date,
): Promise<string> {
  const paper = (await loadPaperViews(db, [paperId])).get(paperId);
  if (!paper) throw new UserError(`I don't know the paper "${paperId}".`);
  if (!(await savePaper(db, ws, userId, paperId, now))) {
    throw new UserError(`“${paper.title}” is already on your reading list (\`/papers saved\` shows it).`);
  }
  const count = (await savedBy(db, ws, userId)).length;
  return `Saved “${paper.title}” to your reading list (${count} ${count === 1 ? 'paper' : 'papers'}). \`/papers saved\` shows it; \`/papers unsave ${paper.arxivId ?? paper.id}\` once read.`;
}

export async function unsave(db: Db, ws: Workspace, userId: string, paperId: string): Promise<string> {
  const paper = (await loadPaperViews(db, [paperId])).get(paperId);
  const title = paper ? `“${paper.title}”` : paperId;
  if (!(await unsavePaper(db, ws, userId, paperId))) {
    throw new UserError(`${title} is not on your reading list (\`/papers saved\` shows what is).`);
  }
  return `Took ${title} off your reading list.`;
}

/** One saved paper as a list shows it. */
export interface ListedPaper {
  paper: PaperView;
  savedAt: Date;
}

/** A person's reading list, oldest first. */
export async function readingList(db: Db, ws: Workspace, userId: string): Promise<ListedPaper[]> {
  const saved = await savedBy(db, ws, userId);
  const views = await loadPaperViews(
    db,
    saved.map((s) => s.paperId),
  );
  return saved.flatMap((s) => {
    const paper = views.get(s.paperId);
    return paper ? [{ paper, savedAt: s.savedAt }] : [];
  });
}

/** `saved today`, `saved 3 days ago`. */
export function savedAgo(savedAt: Date, now: Date): string {
  // Calendar days (UTC), as people count them: Friday to Monday is 3 days.
  const day = (at: Date) => Math.floor(at.getTime() / DAY_MS);
  const days = day(now) - day(savedAt);
  return days <= 0 ? 'saved today' : days === 1 ? 'saved yesterday' : `saved ${days} days ago`;
}

/** The weekly message: what is still on the list, oldest first, and how to change it. */
export function weeklyMessage(list: ListedPaper[], now: Date): OutboundMessage {
  const lines = list
    .slice(0, SHOWN)
    .map(
      ({ paper, savedAt }) =>
        `• ${paper.title} — ${paper.url ?? paper.hfUrl ?? paper.id} (${savedAgo(savedAt, now)})`,
    );
  const more =
    list.length > SHOWN ? [`…and ${list.length - SHOWN} more: \`/papers saved\` lists them all.`] : [];
  return {
    kind: 'text',
    text: [
      `📚 Your reading list: ${list.length} ${list.length === 1 ? 'paper' : 'papers'} still to read.`,
      ...lines,
      ...more,
      '`/papers unsave <id>` takes one off once read; `/papers saved weekly off` stops these messages.',
    ].join('\n'),
  };
}

/** The Monday (UTC) of the week `at` falls in, `YYYY-MM-DD`. */
export function weekOf(at: Date): string {
  const day = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

/** The weekly message goes out on Mondays from 09:00 UTC, until the next day (a bot down all Monday skips it). */
const SEND_FROM_HOUR = 9;

export interface ReadingListDeps {
  db: Db;
  adapter: ChatAdapter;
  log: Logger;
  instanceId: string;
  now: () => Date;
  leaseMs?: number;
}

/**
 * Sends each person with papers on their list (who did not turn it off) one direct message a week with
 * what is still on it, claimed before it is sent so restarts and several instances send it once. Doors
 * without direct messages send nothing. Returns how many went out.
 */
export async function sendReadingLists(deps: ReadingListDeps): Promise<number> {
  const { db, adapter } = deps;
  if (!adapter.dm) return 0;
  const now = deps.now();
  const week = weekOf(now);
  const since = Date.parse(`${week}T00:00:00Z`) + SEND_FROM_HOUR * 3_600_000;
  if (now.getTime() < since || now.getTime() >= since + DAY_MS) return 0;
  let sent = 0;
  // A few at a time: each waits on the platform, and the scheduler's tick waits for them all.
  const limit = pLimit(4);
  const each = async (who: { workspaceId: string; userId: string }) => {
    const ws: Workspace = { platform: adapter.platform, workspaceId: who.workspaceId };
    const claim = await claimReadingListMessage(
      db,
      { platform: adapter.platform, ...who, week },
      deps.instanceId,
      now,
      deps.leaseMs ?? 5 * 60_000,
    );
    if (!claim) return;
    const dm = adapter.dm;
    if (!dm) return;
    try {
      const list = await readingList(db, ws, who.userId);
      const content = { ...weeklyMessage(list, now), tag: `reading-list:${week}` };
      const message = list.length ? await dm.call(adapter, ws, who.userId, content, claim.retake) : null;
      await finishReadingListMessage(db, claim.id, deps.instanceId, message?.messageId ?? null);
      if (message) sent++;
    } catch (err) {
      deps.log.warn({ err, user: who.userId }, 'reading list message failed');
    }
  };
  const recipients = await readingListRecipients(db, adapter.platform, week);
  await Promise.all(recipients.map((who) => limit(() => each(who))));
  return sent;
}
