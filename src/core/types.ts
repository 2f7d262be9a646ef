/** The chat platforms the bot speaks to. */
export type Platform = 'slack' | 'discord' | 'console';

/** A channel on a platform, by the platform's own ids. */
export interface ChannelRef {
  platform: Platform;
  /** Slack team id, Discord guild id, `console` for the console. */
  workspaceId: string;
  channelId: string;
  name?: string;
}

/** A message the bot or a user posted, by the platform's own ids (Slack `ts`, Discord snowflake). */
export interface MessageRef {
  channel: ChannelRef;
  messageId: string;
  /** The thread the message lives in, when it is a reply. */
  threadId?: string;
}

/** Who did something; the adapter tells whether the person may change channel settings. */
export interface UserRef {
  id: string;
  name?: string;
  isAdmin: boolean;
}

/** A paper as the chat sees it. */
export interface PaperView {
  id: string;
  arxivId: string | null;
  title: string;
  authors: string[];
  abstract: string;
  summary: string | null;
  publishedAt: Date | null;
  url: string | null;
  pdfUrl: string | null;
  hfUrl: string | null;
  codeUrl: string | null;
  thumbnail: string | null;
  hfUpvotes: number;
}

/** One hit of a search, with what the team did with it. */
export interface SearchHit {
  paper: PaperView;
  score: number;
  teamVotes: number;
}

export interface LeaderboardEntry {
  paper: PaperView;
  votes: number;
}

/**
 * A button under a message. Pressing it runs `command` (the text after `/papers`) as the person who
 * pressed it, so buttons need no state of their own and every platform handles them the same way.
 */
export interface Button {
  label: string;
  command: string;
  style?: 'primary';
}

/** What the core asks an adapter to show; each adapter renders it its own way. */
export type OutboundMessage =
  | { kind: 'text'; text: string }
  | { kind: 'digest-header'; title: string; count: number; voteHint: string }
  | { kind: 'paper'; paper: PaperView; reason?: string }
  | {
      kind: 'search-results';
      query: string;
      hits: SearchHit[];
      /** Offset of the first hit in the whole result list. */
      offset: number;
      total: number;
      /** True when there are further, weaker matches beyond `total`. */
      more?: boolean;
      hint?: string;
      /** Paging (previous/next); each hit can also be shared with `share <paper id>`. */
      buttons: Button[];
    }
  | { kind: 'leaderboard'; period: LeaderboardPeriod; entries: LeaderboardEntry[] };

export type LeaderboardPeriod = 'week' | 'month' | 'all';
