import { LRUCache } from 'lru-cache';
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

/** What every person of a workspace sees alike. */
type TeamPart = Pick<HomeView, 'sessions' | 'pick' | 'leaderboard' | 'channels'>;

/**
 * The team's part of the pages, kept for a few seconds per workspace: a team opening its pages at once
 * (after a digest, say) costs one read of it, and a vote shows on everyone's page within seconds. Each
 * person's own part is read every time.
 */
export class HomeCache {
  private readonly team = new LRUCache<string, Promise<TeamPart>>({ max: 1000, ttl: 10_000 });

  teamPart(ws: Workspace, read: () => Promise<TeamPart>): Promise<TeamPart> {
    const key = `${ws.platform}:${ws.workspaceId}`;
    let part = this.team.get(key);
    if (!part) {
      part = read();
      this.team.set(key, part);
      // A failed read is not kept.
      part.catch(() => this.team.delete(key));
    }
    return part;
  }
}

/** A person's page: their reading list and votes, their matches, and the team's sessions, pick and week. */
export async function homeView(
  deps: HomeDeps,
  ws: Workspace,
  user: UserRef,
  cache: HomeCache = new HomeCache(),
): Promise<HomeView> {
  const { db } = deps;
  const now = deps.now();
  const team = cache.teamPart(ws, () => teamPart(deps, ws, now));
  const [list, voted] = await Promise.all([
    readingList(db, ws, user.id),
    votedThisWeek(db, ws, user.id, now),
  ]);
  const votedViews = await loadPaperViews(db, voted.slice(0, SHOWN));
  let mine: HomeView['forMe'];
  try {
    mine = (await forMe(db, ws, user.id, now)).slice(0, 3);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    mine = err.message;
  }
  const { sessions, pick, leaderboard, channels } = await team;
  return {
    saved: list.slice(0, SHOWN).map(({ paper, savedAt }) => ({ paper, when: savedAgo(savedAt, now) })),
    savedTotal: list.length,
    myVotes: voted.flatMap((id) => votedViews.get(id) ?? []),
    forMe: mine,
    sessions,
    pick,
    leaderboard,
    channels: user.isAdmin ? channels : [],
  };
}

async function teamPart(deps: HomeDeps, ws: Workspace, now: Date): Promise<TeamPart> {
  const { db } = deps;
  const [channels, pick, leaderboard] = await Promise.all([
    activeChannels(db, ws),
    currentPick(db, ws, now),
    topPapers(db, ws, 'week', now, { limit: SHOWN }),
  ]);
  const sessions: HomeView['sessions'] = [];
  for (const channel of channels.filter((c) => c.sessionEnabled)) {
    sessions.push({
      channel: channel.name ?? channel.channelId,
      text: await describeNextSession(deps, channel),
    });
  }
  return {
    sessions,
    pick,
    leaderboard,
    channels: channels.map((c) => ({ channelId: c.channelId, name: c.name })),
  };
}
