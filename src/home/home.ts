import type { Db } from '../../db/client.js';
import { activeChannels } from '../../db/repositories/channels.js';
import { loadPaperViews } from '../../db/repositories/papers.js';
import { votedThisWeek } from '../../db/repositories/votes.js';
import { UserError } from '../domain/errors.js';
import type { Logger } from '../domain/log.js';
import type { ChatAdapter } from '../domain/ports.js';
import type { HomeView, UserRef, Workspace } from '../domain/types.js';
import { readingList, savedAgo } from '../reading/reading-list.js';
import { describeNextSession } from '../sessions/settings.js';
import { forMe } from '../taste/nearby.js';
import { currentPick } from '../votes/discussion.js';
import { topPapers } from '../votes/leaderboard.js';

export interface HomeDeps {
  db: Db;
  adapter: ChatAdapter;
  log: Logger;
  now: () => Date;
}

/** How much of each list the page shows. */
const SHOWN = 5;

/** A person's page: their reading list and votes, their matches, and the team's sessions, pick and week. */
export async function homeView(deps: HomeDeps, ws: Workspace, user: UserRef): Promise<HomeView> {
  const { db } = deps;
  const now = deps.now();
  const [list, voted, channels, pick, leaderboard] = await Promise.all([
    readingList(db, ws, user.id),
    votedThisWeek(db, ws, user.id, now),
    activeChannels(db, ws),
    currentPick(db, ws, now),
    topPapers(db, ws, 'week', now, { limit: SHOWN }),
  ]);
  const votedViews = await loadPaperViews(db, voted.slice(0, SHOWN));
  const sessions: HomeView['sessions'] = [];
  for (const channel of channels.filter((c) => c.sessionEnabled)) {
    sessions.push({
      channel: channel.name ?? channel.channelId,
      text: await describeNextSession(deps, channel),
    });
  }
  let mine: HomeView['forMe'];
  try {
    mine = (await forMe(db, ws, user.id, now)).slice(0, 3);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    mine = err.message;
  }
  return {
    saved: list.slice(0, SHOWN).map(({ paper, savedAt }) => ({ paper, when: savedAgo(savedAt, now) })),
    savedTotal: list.length,
    myVotes: voted.flatMap((id) => votedViews.get(id) ?? []),
    forMe: mine,
    sessions,
    pick,
    leaderboard,
    channels: user.isAdmin ? channels.map((c) => ({ channelId: c.channelId, name: c.name })) : [],
  };
}
