import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Platform } from '../src/domain/types.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One row per paper, keyed by its arXiv id without version (or a stable id of its own). */
export const papers = pgTable(
  'papers',
  {
    id: text('id').primaryKey(),
    arxivId: text('arxiv_id'),
    version: integer('version'),
    title: text('title').notNull(),
    abstract: text('abstract').notNull().default(''),
    authors: jsonb('authors').$type<string[]>().notNull().default([]),
    categories: jsonb('categories').$type<string[]>().notNull().default([]),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    url: text('url'),
    pdfUrl: text('pdf_url'),
    thumbnail: text('thumbnail'),
    hfUpvotes: integer('hf_upvotes').notNull().default(0),
    hfComments: integer('hf_comments').notNull().default(0),
    hfFeaturedAt: timestamp('hf_featured_at', { withTimezone: true }),
    aiSummary: text('ai_summary'),
    keywords: jsonb('keywords').$type<string[]>().notNull().default([]),
    githubRepo: text('github_repo'),
    /** When a new version (above the first one seen) arrived, and when code first appeared. */
    versionSeenAt: timestamp('version_seen_at', { withTimezone: true }),
    codeSeenAt: timestamp('code_seen_at', { withTimezone: true }),
    /** The authors' comment on arXiv (pages, venue, a code link). */
    arxivComment: text('arxiv_comment'),
    githubStars: integer('github_stars'),
    projectPage: text('project_page'),
    sources: jsonb('sources').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Weighted words: title (A) > keywords (B) > abstract (C) > authors (D, unstemmed), as lexemes with
     * positions. Written with the row by `searchVector` (src/search/lexemes.ts), which folds case,
     * accents and TeX markup so `H2O` finds `H$_2$O`. Null until indexed: `indexPapers` fills it.
     */
    searchVector: tsvector('search_vector'),
    /** The title's words alone: cheap to match, so search can find candidates by title first. */
    titleVector: tsvector('title_vector'),
  },
  (t) => [
    index('papers_search_idx').using('gin', t.searchVector),
    index('papers_title_search_idx').using('gin', t.titleVector),
    /** Papers whose vectors are still to be written (after a bulk load, or a change in the analysis). */
    index('papers_unindexed_idx').on(t.id).where(sql`${t.searchVector} is null`),
    index('papers_categories_idx').using('gin', t.categories),
    index('papers_published_idx').on(t.publishedAt),
    index('papers_trending_idx').on(t.hfUpvotes),
    // Newest first, undated last: the order the digest reads its recent candidates in.
    index('papers_trend_at_idx').on(sql`coalesce(${t.hfFeaturedAt}, ${t.publishedAt}) desc nulls last`),
  ],
);

/**
 * Every word the library contains (folded, unstemmed) and in how many papers: lets search correct a typo
 * to a word that exists, complete a prefix, and weigh rare words above common ones.
 * Its pages are kept 30% free (fillfactor 70, set by migration 0008) for the counts' updates.
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    term: text('term').primaryKey(),
    docs: integer('docs').notNull().default(0),
  },
  (t) => [index('search_terms_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`)],
);

/**
 * Short forms the library's papers define, as in `Large Language Models (LLMs)`: the short form folded
 * (`llm`), the long form's lexemes and words, and in how many papers. A query's `llm` then also matches
 * the papers that only spell it out.
 */
export const searchAcronyms = pgTable(
  'search_acronyms',
  {
    acronym: text('acronym').notNull(),
    lexemes: text('lexemes').notNull(),
    phrase: text('phrase').notNull(),
    docs: integer('docs').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.acronym, t.lexemes] })],
);

/** A platform channel the bot serves, with its digest settings. */
export const channels = pgTable(
  'channels',
  {
    id: serial('id').primaryKey(),
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    channelId: text('channel_id').notNull(),
    name: text('name'),
    digestEnabled: boolean('digest_enabled').notNull().default(true),
    digestTime: text('digest_time').notNull().default('09:00'),
    timezone: text('timezone').notNull().default('UTC'),
    days: jsonb('days').$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
    digestSize: integer('digest_size').notNull().default(5),
    follows: jsonb('follows').$type<string[]>().notNull().default([]),
    mutes: jsonb('mutes').$type<string[]>().notNull().default([]),
    /** On a day with nothing new, post one quiet line instead of nothing. */
    emptyNote: boolean('empty_note').notNull().default(false),
    pickEnabled: boolean('pick_enabled').notNull().default(true),
    /** 0 = Sunday … 6 = Saturday, in the channel's timezone. */
    pickDay: integer('pick_day').notNull().default(5),
    pickTime: text('pick_time').notNull().default('15:00'),
    recapEnabled: boolean('recap_enabled').notNull().default(true),
    /** The reading group's sessions: off until an admin sets a day and time. */
    sessionEnabled: boolean('session_enabled').notNull().default(false),
    /** 0 = Sunday … 6 = Saturday, in the session's timezone. */
    sessionDay: smallint('session_day').notNull().default(5),
    sessionTime: text('session_time').notNull().default('15:00'),
    /** Null: the channel's timezone. */
    sessionTimezone: text('session_timezone'),
    sessionCadence: text('session_cadence').$type<'weekly' | 'biweekly'>().notNull().default('weekly'),
    /** A date sessions fall on: every other week counts from it. */
    sessionAnchor: date('session_anchor'),
    sessionMinutes: smallint('session_minutes').notNull().default(60),
    /** A link (video call) or a room. */
    sessionWhere: text('session_where'),
    /** How many days before a session its ballot opens. */
    ballotDays: smallint('ballot_days').notNull().default(2),
    /** How many of a digest's papers the team's taste may choose (never all of them). */
    tasteSlots: smallint('taste_slots').notNull().default(2),
    /** Votes a paper needs before its new versions and code are announced in its thread. */
    alertVotes: smallint('alert_votes').notNull().default(2),
    /** How people vote on the channel's papers: reactions, a Vote button, or both. */
    voteWith: text('vote_with').$type<'reactions' | 'buttons' | 'both'>().notNull().default('reactions'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channels_platform_ref_uq').on(t.platform, t.workspaceId, t.channelId)],
);

/** A claimed digest for one channel and local date; the parent message once posted. */
export const digestRuns = pgTable(
  'digest_runs',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    localDate: date('local_date').notNull(),
    status: text('status').$type<'posting' | 'done'>().notNull().default('posting'),
    paperIds: jsonb('paper_ids').$type<string[]>().notNull().default([]),
    reasons: jsonb('reasons').$type<Record<string, string>>().notNull().default({}),
    parentMessageId: text('parent_message_id'),
    /** When the thread was told, once, that votes on the parent message do not count. */
    voteHintAt: timestamp('vote_hint_at', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('digest_runs_channel_date_uq').on(t.channelId, t.localDate)],
);

/** Every message the bot posted about a paper; reactions find their paper through it. */
export const posts = pgTable(
  'posts',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id),
    kind: text('kind').$type<'digest' | 'share' | 'pick'>().notNull(),
    messageId: text('message_id').notNull(),
    threadId: text('thread_id'),
    digestRunId: integer('digest_run_id').references(() => digestRuns.id, { onDelete: 'set null' }),
    postedBy: text('posted_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('posts_message_uq').on(t.channelId, t.messageId),
    uniqueIndex('posts_run_paper_uq').on(t.digestRunId, t.paperId),
    index('posts_channel_paper_idx').on(t.channelId, t.paperId),
  ],
);

/** One row per (post, user, emoji): redeliveries and double clicks cannot count twice. */
export const votes = pgTable(
  'votes',
  {
    id: serial('id').primaryKey(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    emoji: text('emoji').notNull(),
    weight: smallint('weight').notNull().default(1),
    /** False once taken back; kept so a late "added" cannot revive a newer removal. */
    active: boolean('active').notNull().default(true),
    /** When the platform says the reaction happened; the newest event wins. */
    eventAt: timestamp('event_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('votes_post_user_emoji_uq').on(t.postId, t.userId, t.emoji)],
);

/** Who pasted or shared a paper where; the first share in a channel carries the votable card. */
export const shares = pgTable(
  'shares',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id),
    userId: text('user_id').notNull(),
    userName: text('user_name'),
    /** The user's message (or command) that shared it: a redelivered message is one share. */
    sourceMessageId: text('source_message_id').notNull(),
    postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shares_source_uq').on(t.channelId, t.sourceMessageId, t.paperId),
    index('shares_paper_idx').on(t.paperId),
  ],
);

/** Papers a workspace has discussed (or has picked to discuss next). */
export const discussions = pgTable(
  'discussions',
  {
    id: serial('id').primaryKey(),
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id),
    votes: integer('votes').notNull().default(0),
    discussedAt: timestamp('discussed_at', { withTimezone: true }).notNull().defaultNow(),
    discussedBy: text('discussed_by').notNull(),
  },
  (t) => [uniqueIndex('discussions_paper_uq').on(t.platform, t.workspaceId, t.paperId)],
);

/** A scheduled single message (discussion pick, weekly recap) claimed once per channel and local date. */
export const channelEvents = pgTable(
  'channel_events',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<'pick' | 'recap'>().notNull(),
    localDate: date('local_date').notNull(),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channel_events_uq').on(t.channelId, t.kind, t.localDate)],
);

/** node-cron fires elected across instances: one row per task and slot, held by one instance. */
export const schedulerLeases = pgTable('scheduler_leases', {
  key: text('key').primaryKey(),
  owner: text('owner').notNull(),
  leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
});

/** A finished piece of ingestion (a source's day, week or listing): backfill skips what is here. */
export const ingestUnits = pgTable('ingest_units', {
  key: text('key').primaryKey(),
  source: text('source').notNull(),
  papers: integer('papers').notNull().default(0),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A channel's presenter rotation: the lowest position presents next. */
export const presenters = pgTable(
  'presenters',
  {
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    userName: text('user_name'),
    position: integer('position').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] })],
);

/**
 * One reading-group session of a channel, by its local date: who presents, which paper, where, and the
 * messages that belong to it. Created when its first step comes due or a command names it.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    localDate: date('local_date').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    status: text('status').$type<'planned' | 'skipped' | 'cancelled'>().notNull().default('planned'),
    presenterId: text('presenter_id'),
    presenterName: text('presenter_name'),
    paperId: text('paper_id').references(() => papers.id),
    /** Who chose the paper: `ballot`, or the presenter or admin who named it. */
    chosenBy: text('chosen_by'),
    where: text('where'),
    /** The ballot's papers, in the order it lists them. */
    ballotPaperIds: jsonb('ballot_paper_ids').$type<string[]>().notNull().default([]),
    ballotMessageId: text('ballot_message_id'),
    ballotClosedAt: timestamp('ballot_closed_at', { withTimezone: true }),
    pickMessageId: text('pick_message_id'),
    /** The platform's calendar entry (a Discord scheduled event, a Slack file). */
    eventId: text('event_id'),
    /** Set once, when the session ended: the paper was marked discussed and the rotation moved on. */
    heldAt: timestamp('held_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sessions_channel_date_uq').on(t.channelId, t.localDate),
    index('sessions_ballot_message_idx').on(t.ballotMessageId),
    index('sessions_pick_message_idx').on(t.pickMessageId),
    index('sessions_event_idx').on(t.eventId),
  ],
);

/**
 * Each step of a session (ballot, pick, event, reminders, wrap-up), claimed before it runs: a lease
 * while it runs, done once its message is recorded. A step whose holder died is taken over when the
 * lease runs out, and finds a message already sent by its tag.
 */
export const sessionSteps = pgTable(
  'session_steps',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    status: text('status').$type<'running' | 'done' | 'skipped'>().notNull().default('running'),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    messageId: text('message_id'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.kind] })],
);

/** One ballot vote per person and session; changing it replaces it. */
export const ballotVotes = pgTable(
  'ballot_votes',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** 1-based, as the ballot lists its papers. */
    choice: smallint('choice').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** Whether a person comes to a session; the latest answer counts. */
export const rsvps = pgTable(
  'rsvps',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    userName: text('user_name'),
    going: boolean('going').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** Replies in a session's thread after it ended: its notes and slides. */
export const sessionNotes = pgTable(
  'session_notes',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    userId: text('user_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.messageId] })],
);

/**
 * A linear model of what a workspace's team, or one person in it, votes for: the weight of each term,
 * its idf, and the papers it learned from. Trained again when the votes it learned from have changed.
 */
export const tasteModels = pgTable('taste_models', {
  /** `ws:<platform>:<workspace>` or `user:<platform>:<workspace>:<user>`. */
  scope: text('scope').primaryKey(),
  /** What the votes were when it was trained: it is trained again when they differ. */
  fingerprint: text('fingerprint').notNull(),
  model: jsonb('model')
    .$type<{ bias: number; terms: [string, number, number][]; positives: string[] }>()
    .notNull(),
  trainedAt: timestamp('trained_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An announcement in a paper's thread (a new version, code released), claimed before it is posted: one
 * per channel, paper, kind and key (the version, the code's address).
 */
export const paperAlerts = pgTable(
  'paper_alerts',
  {
    id: serial('id').primaryKey(),
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id),
    kind: text('kind').$type<'version' | 'code'>().notNull(),
    key: text('key').notNull(),
    status: text('status').$type<'running' | 'done'>().notNull().default('running'),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('paper_alerts_uq').on(t.channelId, t.paperId, t.kind, t.key)],
);

/** A person's reading list: the papers they saved, in one workspace. */
export const savedPapers = pgTable(
  'saved_papers',
  {
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.workspaceId, t.userId, t.paperId] })],
);

/** What one person chose for themselves in a workspace. */
export const people = pgTable(
  'people',
  {
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    /** A direct message each Monday with the papers still on their reading list. */
    weeklyReadingList: boolean('weekly_reading_list').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.platform, t.workspaceId, t.userId] })],
);

/** The weekly reading-list message to one person, claimed before it is sent: one per person and week. */
export const readingListMessages = pgTable(
  'reading_list_messages',
  {
    id: serial('id').primaryKey(),
    platform: text('platform').$type<Platform>().notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    /** The Monday it is for, `YYYY-MM-DD`. */
    week: date('week').notNull(),
    status: text('status').$type<'running' | 'done'>().notNull().default('running'),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('reading_list_messages_uq').on(t.platform, t.workspaceId, t.userId, t.week)],
);

/** A message whose paper links were unfolded into cards (Slack's chat.unfurl): once per message. */
export const unfurls = pgTable(
  'unfurls',
  {
    channelId: integer('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    /** The message's id, or the composer's unfurl id for a message not yet sent. */
    messageId: text('message_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.messageId] })],
);
