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

/** The platform workspace (Slack team, Discord guild) whose votes count together. */
export type Workspace = Pick<ChannelRef, 'platform' | 'workspaceId'>;

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
  /** arXiv categories (`cs.CL`) and Hugging Face keywords: what a Discord forum's tags are drawn from. */
  categories: string[];
  keywords: string[];
}

/** One hit of a search, with what the team did with it. */
export interface SearchHit {
  paper: PaperView;
  score: number;
  teamVotes: number;
  /** Who shared it in this workspace, first sharer first. */
  sharedBy: string[];
  /** Whether this workspace has discussed it. */
  discussed: boolean;
  /** Why it is shown, when it is no plain search match: `shares diffusion, video`. */
  why?: string;
}

export interface LeaderboardEntry {
  paper: PaperView;
  votes: number;
  /** Who shared it in this workspace, first sharer first. */
  sharedBy?: string[];
}

/** A reading-group session as messages show it. */
export interface SessionView {
  start: Date;
  end: Date;
  /** The zone its times are shown in. */
  timezone: string;
  /** A link (video call) or a room. */
  where: string | null;
  presenter: { id: string; name: string | null } | null;
  going: number;
  notGoing: number;
}

/** One paper on a ballot, with its votes so far. */
export interface BallotOption {
  paper: PaperView;
  votes: number;
}

/** A session in a calendar: a Discord scheduled event, an .ics invite. */
export interface CalendarEvent {
  /** Stable across updates: the invite's UID. */
  uid: string;
  title: string;
  description: string;
  start: Date;
  end: Date;
  location: string | null;
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

/**
 * What the core asks an adapter to show; each adapter renders it its own way. A `tag` is an idempotency
 * key the adapter stores on the message where the platform allows (see ChatAdapter.findPosted).
 */
export type OutboundMessage = OutboundContent & { tag?: string };

type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'digest-header'; title: string; count: number; voteHint: string }
  | {
      kind: 'paper';
      paper: PaperView;
      /** Why it is shown: "▲ 132 on HF · matches diffusion", "3 votes · shared by alice". */
      reason?: string;
      /** A line above the card: "Next discussion", "Shared by alice". */
      heading?: string;
      /** The session that will discuss it (the pick of a reading group). */
      session?: SessionView;
      /** Under the card: RSVP for its session. */
      buttons?: Button[];
    }
  | {
      kind: 'ballot';
      question: string;
      options: BallotOption[];
      /** When the pick is announced and the ballot closes. */
      closesAt: Date;
      timezone: string;
      /** Set once closed: the winner's index in `options`, or null when it closed without one. */
      closed?: { winner: number | null; reason: string };
      /** One per option on doors without native polls: `vote <n> <ballot>`. */
      buttons: Button[];
    }
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
  | {
      kind: 'leaderboard';
      period: LeaderboardPeriod;
      entries: LeaderboardEntry[];
      title?: string;
      /** A line under the list (the recap's last session). */
      footer?: string;
    };

export type LeaderboardPeriod = 'week' | 'month' | 'all';

/** What a person's own page in the app shows (Slack's App Home): their list, their votes, the team's week. */
export interface HomeView {
  /** Papers on their reading list, oldest first, with when each was saved; `savedTotal` counts them all. */
  saved: { paper: PaperView; when: string }[];
  savedTotal: number;
  /** Papers they voted for this week. */
  myVotes: PaperView[];
  /** Their own best matches (from their votes), or why there are none yet. */
  forMe: SearchHit[] | string;
  /** The next session of each channel with reading-group sessions, as `/papers session` tells it. */
  sessions: { channel: string; text: string }[];
  /** The team's next discussion (the most-voted paper not yet discussed). */
  pick: LeaderboardEntry | null;
  /** This week's most-voted papers. */
  leaderboard: LeaderboardEntry[];
  /** For admins: the channels the bot posts in, whose settings they may open. */
  channels: { channelId: string; name: string | null }[];
}

/** A channel's settings as a form shows and returns them: text fields, as typed. */
export interface SettingsForm {
  /** `09:30` */
  time: string;
  timezone: string;
  /** `weekdays`, `daily`, `mon,wed,fri` */
  days: string;
  size: string;
  /** One per line. */
  follows: string;
  mutes: string;
}

/** A paper link's card, to unfold it where it was posted (Slack's link unfurls). */
export interface LinkCard {
  url: string;
  message: OutboundMessage;
}
