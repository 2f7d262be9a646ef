import type { Db } from '../../db/client.js';
import { claimChannelEvent, setChannelEventMessage } from '../../db/repositories/channel-events.js';
import type { ChannelRow } from '../../db/repositories/channels.js';
import { channelRefOf } from '../../db/repositories/channels.js';
import { recordPost } from '../../db/repositories/posts.js';
import type { ChatAdapter } from '../domain/ports.js';
import { cardButtons } from '../domain/present.js';
import type { LeaderboardEntry, OutboundMessage } from '../domain/types.js';
import { lastWeeksSession } from '../sessions/history.js';
import { currentPick, discussionHistory } from '../votes/discussion.js';
import { topPapers } from '../votes/leaderboard.js';

export interface ChannelEventDeps {
  db: Db;
  adapter: ChatAdapter;
  now: () => Date;
}

/**
 * Claims (channel, kind, local date) and posts one message for it. The claim comes first, so several
 * instances or a restart never post it twice.
 */
async function postOnce(
  deps: ChannelEventDeps,
  channel: ChannelRow,
  kind: 'pick' | 'recap',
  localDate: string,
  build: () => Promise<{ message: OutboundMessage; paperId?: string } | null>,
): Promise<boolean> {
  const claimed = await claimChannelEvent(deps.db, { channelId: channel.id, kind, localDate });
  if (claimed === undefined) return false;
  const content = await build();
  if (!content) return false;
  const ref = channelRefOf(channel);
  const posted = await deps.adapter.post(ref, content.message);
  await setChannelEventMessage(deps.db, claimed, posted.messageId);
  if (content.paperId) {
    await recordPost(deps.db, {
      channelId: channel.id,
      paperId: content.paperId,
      kind: 'pick',
      messageId: posted.messageId,
    });
  }
  return true;
}

/** The card that announces the next discussion. */
export function pickMessage(entry: LeaderboardEntry): OutboundMessage {
  const shared = entry.sharedBy?.length ? ` · shared by ${entry.sharedBy.join(', ')}` : '';
  return {
    kind: 'paper',
    paper: entry.paper,
    heading: 'Next discussion',
    reason: `${entry.votes} ${entry.votes === 1 ? 'vote' : 'votes'}${shared}`,
    buttons: cardButtons(entry.paper.id, 'reactions'),
  };
}

/** Posts the week's discussion pick in a channel once; nothing when nobody has voted. */
export async function postPick(
  deps: ChannelEventDeps,
  channel: ChannelRow,
  localDate: string,
): Promise<boolean> {
  return postOnce(deps, channel, 'pick', localDate, async () => {
    const entry = await currentPick(deps.db, channel, deps.now());
    return entry ? { message: pickMessage(entry), paperId: entry.paper.id } : null;
  });
}

/** Posts Monday's recap once: last week's most-voted papers and what was discussed. */
export async function postRecap(
  deps: ChannelEventDeps,
  channel: ChannelRow,
  localDate: string,
): Promise<boolean> {
  return postOnce(deps, channel, 'recap', localDate, async () => {
    const now = deps.now();
    const entries = await topPapers(deps.db, channel, 'week', now, { limit: 5 });
    const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
    const discussed = (await discussionHistory(deps.db, channel)).filter((d) => d.discussedAt >= weekAgo);
    const session = await lastWeeksSession(deps.db, channel, now);
    if (entries.length === 0 && discussed.length === 0 && !session) return null;
    const titles = discussed.map((d) => `“${d.paper.title}”`);
    const title = `Last week in papers${titles.length ? ` — discussed: ${titles.join(', ')}` : ''}`;
    return {
      message: {
        kind: 'leaderboard',
        period: 'week',
        entries,
        title,
        ...(session ? { footer: session } : {}),
      },
    };
  });
}
