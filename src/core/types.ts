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
      hint?: string;
    }
  | { kind: 'leaderboard'; period: LeaderboardPeriod; entries: LeaderboardEntry[] };

export type LeaderboardPeriod = 'week' | 'month' | 'all';
