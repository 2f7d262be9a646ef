import type { CommandInput } from './commands.js';
import type { PaperInput } from './paper-input.js';
import type {
  CalendarEvent,
  ChannelRef,
  HomeView,
  LinkCard,
  MessageRef,
  OutboundMessage,
  Platform,
  SettingsForm,
  UserRef,
  Workspace,
} from './types.js';

/** Answers one command, the way its door allows (Slack's response_url, Discord's interaction token). */
export type Responder = (message: OutboundMessage, opts: { private: boolean }) => Promise<void>;

/** A command in progress, and the way back to whoever asked. */
export interface CommandRef {
  id: string;
  channel: ChannelRef;
  user: UserRef;
  /** Set by the adapter that received the command. */
  respond: Responder;
}

/** A command as a user gave it on any platform. */
export interface CommandInvocation {
  ref: CommandRef;
  channel: ChannelRef;
  user: UserRef;
  input: CommandInput;
  /** Set when a button was pressed: the adapter may replace the message the button was on. */
  fromButton?: boolean;
  /** Set when the command was chosen on a message's menu: that message (its text is the input's argument). */
  target?: MessageRef;
}

/** A reaction added to or removed from a message. */
export interface ReactionEvent {
  action: 'added' | 'removed';
  message: MessageRef;
  user: UserRef;
  /** The emoji as a name (`+1`, `fire`) or a character (`👍`); the core normalises both. */
  emoji: string;
  /** True when the reaction is the bot's own. */
  byBot?: boolean;
  /** When the platform says it happened; defaults to now. */
  at?: Date;
}

/** A vote in a ballot given through the platform's own poll (Discord) or the console's `:vote`. */
export interface BallotVoteEvent {
  action: 'added' | 'removed';
  /** The ballot's message. */
  message: MessageRef;
  user: UserRef;
  /** 1-based, as the ballot lists its papers. */
  choice: number;
}

/** Someone marked or unmarked interest in a session's calendar event (Discord's "Interested"). */
export interface EventInterest {
  action: 'added' | 'removed';
  eventId: string;
  user: UserRef;
}

/** A message a person posted in a channel the bot is in. */
export interface SharedMessage {
  message: MessageRef;
  user: UserRef;
  text: string;
}

/**
 * What an adapter calls when something arrives; given at start so nothing arrives unwired. A button press
 * arrives as `command` with the button's command as text and `fromButton` set.
 */
export interface InboundHandlers {
  command(c: CommandInvocation): Promise<void>;
  reaction(r: ReactionEvent): Promise<void>;
  message?(m: SharedMessage): Promise<void>;
  /** Returns what to tell the voter, for doors that can (a closed ballot, a changed vote). */
  ballotVote?(v: BallotVoteEvent): Promise<string | undefined>;
  eventInterest?(e: EventInterest): Promise<void>;
  /** A person's own page (Slack's App Home). */
  home?(ws: Workspace, user: UserRef): Promise<HomeView>;
  /** A channel's settings as a form; a UserError for someone who may not change them. */
  settingsForm?(channel: ChannelRef, user: UserRef): Promise<SettingsForm>;
  /**
   * A submitted settings form, of which the person edited `edited`: the wrong fields with why (nothing
   * saved), or what was saved with the message that tells the channel (for the door to post once it has
   * answered the form). A UserError for someone who may not change them.
   */
  submitSettings?(
    channel: ChannelRef,
    user: UserRef,
    form: SettingsForm,
    edited: readonly (keyof SettingsForm)[],
  ): Promise<
    | { errors: Partial<Record<keyof SettingsForm, string>> }
    | { saved: string[]; announcement?: OutboundMessage }
  >;
  /**
   * Cards for the paper links in a message, to unfold them where they were posted; none for links that
   * are no paper, nor a second time for the same message.
   */
  linkCards?(request: LinkCardsRequest): Promise<LinkCard[]>;
}

/** The paper links of a message (or of one being written), to unfold. */
export interface LinkCardsRequest {
  channel: ChannelRef;
  /** Absent while the message is still being written. */
  messageId?: string;
  /** The thread the message is a reply in. */
  threadId?: string;
  /** Stands for the message when it has no id yet (Slack's unfurl id). */
  claimKey: string;
  user: UserRef;
  links: string[];
}

/** A door into a chat platform. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(handlers: InboundHandlers): Promise<void>;
  stop(): Promise<void>;
  post(channel: ChannelRef, message: OutboundMessage): Promise<MessageRef>;
  reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef>;
  /**
   * Finds messages the bot already posted with the given tags (see OutboundMessage `tag`), in a channel or
   * in one thread of it; returns tag → message id for those found. Platforms that can carry data on a
   * message implement it, so a digest resumed after a crash adopts a message that was sent but not yet
   * recorded instead of posting it twice.
   */
  findPosted?(where: {
    channel: ChannelRef;
    thread?: MessageRef;
    tags: string[];
    /** Nothing older was sent by the attempt looked for: doors may read only what came after. */
    since?: Date;
  }): Promise<Map<string, string>>;
  /**
   * Changes a message the bot posted (a ballot's counts or its close, a pick's RSVPs). Doors that cannot
   * leave it out; the core then says what changed in the thread instead.
   */
  update?(message: MessageRef, content: OutboundMessage): Promise<void>;
  /**
   * Puts a session in the platform's calendar: a Discord scheduled event, or an .ics invite in the
   * session's thread. Returns its id for later updates. `retake` says an earlier attempt may have made
   * it already: the door adopts that one rather than making a second.
   */
  scheduleEvent?(
    where: { channel: ChannelRef; thread?: MessageRef },
    event: CalendarEvent,
    retake: boolean,
  ): Promise<string | undefined>;
  /** Brings a calendar entry up to date (a new presenter or paper). */
  updateEvent?(channel: ChannelRef, eventId: string, event: CalendarEvent): Promise<void>;
  /**
   * The platform's own record of a ballot it holds as a native poll (Discord): who chose each answer,
   * numbered from 1. Read when the ballot closes, so votes the bot missed (while it was away, or out of
   * order) count as the platform shows them.
   */
  ballotVoters?(ballot: MessageRef, answers: number): Promise<Map<number, string[]>>;
  /**
   * Sends a direct message to a person of the workspace (the weekly reading list). Returns null when the
   * platform will not let the bot write to them (they closed their DMs); throws on a passing failure.
   * `retake` says an earlier attempt may have sent it: the door adopts that one (by `message.tag`) where
   * it can.
   */
  dm?(ws: Workspace, userId: string, message: OutboundMessage, retake: boolean): Promise<MessageRef | null>;
  /** Calls a calendar entry off (the session was skipped or sessions were turned off). */
  cancelEvent?(channel: ChannelRef, eventId: string): Promise<void>;
  /**
   * The person a typed mention names (`<@U123>`, `<@123>`, `@ada`) among the channel's members, or null
   * when it names nobody there.
   */
  findMember?(channel: ChannelRef, mention: string): Promise<UserRef | null>;
  /**
   * How a person gets to a message: a link (Slack's permalink, Discord's message URL) or, in the console,
   * its id. Undefined when the door cannot say.
   */
  messageLink?(message: MessageRef): Promise<string | undefined>;
  /** False while the platform connection is down (for /healthz); absent means always connected. */
  isConnected?(): boolean;
}

/** The time, injectable so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that can be moved (the console's `:clock`), so a schedule can be walked through in a minute:
 * it keeps running from wherever it was set.
 */
export class MovableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

/** The upstreams papers come from. */
export type SourceName = 'hf' | 'arxiv' | 'rss';

/** What to ingest: a range of days (inclusive, `YYYY-MM-DD`, UTC) and, for arXiv, categories. */
export interface IngestRequest {
  from: string;
  to: string;
  categories: string[];
  /** How Hugging Face days are grouped into requests. */
  period?: 'day' | 'week' | 'month';
}

/** A piece of ingestion a source fetches whole; backfill remembers finished units by key and skips them. */
export interface IngestUnit {
  /** Stable across runs: `hf:date:2026-01-05`, `arxiv:cs.CL:2026-01`, `rss:cs.LG+cs.CL:2026-01-05`. */
  key: string;
  /** For progress lines. */
  label: string;
  /** The last day the unit covers; until it has settled, the unit is fetched again on every run. */
  lastDay: string;
  /** What the source needs to fetch it (a date, a week, categories). */
  params: Record<string, string>;
  /**
   * Keys of smaller units that together cover this one (the days of an arXiv month): when earlier runs
   * finished every one of them, this unit counts as finished too.
   */
  parts?: string[];
}

/** A line or item that could not be read, with where and why. */
export interface SkippedItem {
  where: string;
  reason: string;
}

/** What a source delivered for one unit: the papers, and the items it could not read, with why. */
export interface FetchedPapers {
  papers: PaperInput[];
  skipped: SkippedItem[];
  /**
   * How many requests the upstream was sent for them, when the source counts. A source that counts also
   * sets `requests` on the error it throws, so requests spent on a failed unit are counted as well.
   */
  requests?: number;
}

/**
 * An upstream of papers (Hugging Face Daily Papers, the arXiv API, arXiv new-listings RSS). Fetching a
 * unit either returns all of it or throws: a malformed response must not be half stored.
 */
export interface PaperSource {
  readonly name: SourceName;
  /** Days after its last day when a unit stops changing (HF upvotes grow for days). */
  readonly settleDays: number;
  /** Splits a request into units, fetched, stored and remembered one at a time. */
  plan(request: IngestRequest): IngestUnit[];
  fetch(unit: IngestUnit): Promise<FetchedPapers>;
}
