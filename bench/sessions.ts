/**
 * `npm run bench:sessions`: reading-group sessions of BENCH_CHANNELS channels (default 100, each in a
 * workspace of its own), weekly, over BENCH_WEEKS weeks (default 52) on a simulated clock, run by three
 * instances of the bot on one Postgres server (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; a throwaway database is created and dropped).
 *
 * Each simulated minute that matters is ticked by the three schedulers at once. Between them, people vote
 * in each ballot (some change their minds) and answer RSVPs, each delivery to one instance picked at
 * random and 10 % of them delivered again to another, at the same time. Prints, per channel-week, how
 * many ballots, picks, calendar entries and reminder pairs went out (exactly one each is right), the
 * ballot votes and RSVPs lost against what people last said, and the wall time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase, parseDatabaseUrl, queryRows } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureChannel, updateChannel } from '../db/repositories/channels.js';
import { recordPost } from '../db/repositories/posts.js';
import { addPresenters } from '../db/repositories/presenters.js';
import { writeVote } from '../db/repositories/votes.js';
import { createHandlers } from '../src/commands/handlers.js';
import type { ChatAdapter, InboundHandlers } from '../src/domain/ports.js';
import type { CalendarEvent, ChannelRef, MessageRef, OutboundMessage } from '../src/domain/types.js';
import { createLogger } from '../src/log.js';
import { Scheduler } from '../src/schedule/scheduler.js';
import { upsertPapers } from '../src/search/store.js';
import { libraryResolver } from '../src/shares/share.js';
import { DEFAULT_DOWNVOTE_EMOJI, DEFAULT_UPVOTE_EMOJI, emojiWeights } from '../src/votes/emoji.js';
import { paperInput } from '../test/helpers/core.js';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 100);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 52);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDELIVERY = 0.1;
const VOTERS = 5;
const ATTENDEES = 6;
/** The first session: Friday 8 Jan 2027, 15:00 UTC. */
const FIRST = Date.parse('2027-01-08T15:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A platform in memory, shared by the three instances as one Slack or Discord would be. */
class Platform {
  readonly messages: { channel: string; thread?: string; tag?: string; kind: string }[] = [];
  readonly events = new Map<string, CalendarEvent>();
  updates = 0;
  private seq = 0;

  adapter(): ChatAdapter {
    const post = (channel: ChannelRef, message: OutboundMessage, thread?: string): MessageRef => {
      const messageId = `m${++this.seq}`;
      this.messages.push({
        channel: channel.channelId,
        ...(thread ? { thread } : {}),
        ...(message.tag ? { tag: message.tag } : {}),
        kind: message.kind,
      });
      return { channel, messageId, ...(thread ? { threadId: thread } : {}) };
    };
    return {
      platform: 'slack',
      start: async () => {},
      stop: async () => {},
      post: async (channel, message) => post(channel, message),
      reply: async (thread, message) => post(thread.channel, message, thread.messageId),
      update: async () => {
        this.updates++;
      },
      scheduleEvent: async (_where, event) => {
        this.events.set(event.uid, event);
        return `event-${event.uid}`;
      },
      findPosted: async ({ channel, tags }) => {
        const found = new Map<string, string>();
        this.messages.forEach((m, i) => {
          if (m.channel === channel.channelId && m.tag && tags.includes(m.tag)) found.set(m.tag, `m${i + 1}`);
        });
        return found;
      },
    };
  }
}

const name = `papers_bench_sessions_${Date.now()}`;
const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(SERVER);
url.pathname = `/${name}`;
const target = parseDatabaseUrl(url.toString());
const instances: Database[] = [];
try {
  const setup = await openDatabase(target);
  await migrate(setup, target);
  await seed(setup);
  await setup.close();

  const platform = new Platform();
  let now = new Date(FIRST - 3 * DAY);
  const clock = { now: () => now };
  const log = createLogger('silent');
  const bots: { scheduler: Scheduler; handlers: InboundHandlers }[] = [];
  for (let i = 0; i < 3; i++) {
    const database = await openDatabase(target);
    instances.push(database);
    const adapter = platform.adapter();
    const instanceId = `instance-${i}-${randomUUID().slice(0, 8)}`;
    const deps = {
      db: database.db,
      log,
      clock,
      instanceId,
      voteWeights: emojiWeights(DEFAULT_UPVOTE_EMOJI, DEFAULT_DOWNVOTE_EMOJI),
      searchPageSize: 5,
      resolver: libraryResolver(database.db),
    };
    bots.push({
      scheduler: new Scheduler({
        db: database.db,
        log,
        clock,
        instanceId,
        adapters: [adapter],
        catchUpMs: HOUR,
      }),
      handlers: createHandlers(deps, adapter),
    });
  }
  const random = mulberry(20261206);
  const pickBot = () => bots[Math.floor(random() * bots.length)]!;
  /** One delivery to a random instance; one in ten delivered again, at the same time, to another. */
  const deliver = async (send: (handlers: InboundHandlers) => Promise<unknown>) => {
    const copies = random() < REDELIVERY ? [pickBot(), pickBot()] : [pickBot()];
    deliveries += copies.length;
    await Promise.all(copies.map((bot) => send(bot.handlers)));
  };
  let deliveries = 0;
  const tick = async (at: number) => {
    now = new Date(at);
    await Promise.all(bots.map((bot) => bot.scheduler.tick(now)));
  };
  const expectedVotes = new Map<string, number>();
  const expectedRsvps = new Map<string, boolean>();
  const channelOf = (c: number): ChannelRef => ({
    platform: 'slack',
    workspaceId: `W${c}`,
    channelId: `C${c}`,
  });

  const started = performance.now();
  for (let week = 0; week < WEEKS; week++) {
    const start = FIRST + week * 7 * DAY;
    await tick(start - 2 * DAY + 60_000); // the ballots
    const ballots = await queryRows<{ id: number; channel_id: string; ballot_message_id: string }>(
      instances[0]!.db,
      sql`select s.id, c.channel_id, s.ballot_message_id from sessions s join channels c on c.id = s.channel_id
          where s.starts_at = ${new Date(start).toISOString()}::timestamptz and s.ballot_message_id is not null`,
    );
    const votes: Promise<void>[] = [];
    for (const ballot of ballots) {
      const c = Number(ballot.channel_id.slice(1));
      for (let v = 0; v < VOTERS; v++) {
        const user = { id: `U${v}`, isAdmin: false };
        // Some change their minds: the last vote is the one that counts.
        const choices =
          random() < 0.3
            ? [1 + Math.floor(random() * 3), 1 + Math.floor(random() * 3)]
            : [1 + Math.floor(random() * 3)];
        expectedVotes.set(`${ballot.id}:${user.id}`, choices.at(-1)!);
        votes.push(
          (async () => {
            for (const choice of choices) {
              await deliver((h) =>
                h.ballotVote!({
                  action: 'added',
                  message: { channel: channelOf(c), messageId: ballot.ballot_message_id },
                  user,
                  choice,
                }),
              );
            }
          })(),
        );
      }
    }
    await Promise.all(votes);
    await tick(start - DAY - 6 * HOUR + 60_000); // the picks (09:01 the day before)
    const sessions = await queryRows<{ id: number; channel_id: string }>(
      instances[0]!.db,
      sql`select s.id, c.channel_id from sessions s join channels c on c.id = s.channel_id
          where s.starts_at = ${new Date(start).toISOString()}::timestamptz`,
    );
    const rsvps: Promise<void>[] = [];
    for (const session of sessions) {
      const c = Number(session.channel_id.slice(1));
      for (let a = 0; a < ATTENDEES; a++) {
        const going = random() < 0.7;
        const user = { id: `U${a}`, name: `u${a}`, isAdmin: false };
        expectedRsvps.set(`${session.id}:${user.id}`, going);
        const text = `rsvp ${going ? 'going' : 'no'} s${session.id}`;
        rsvps.push(
          deliver((h) =>
            h.command({
              ref: { id: randomUUID(), channel: channelOf(c), user, respond: async () => {} },
              channel: channelOf(c),
              user,
              input: { kind: 'text', text },
              fromButton: true,
            }),
          ),
        );
      }
    }
    await Promise.all(rsvps);
    await tick(start - DAY + 60_000); // the day-before reminders
    await tick(start - 15 * 60_000 + 60_000); // the 15-minute reminders
    await tick(start + HOUR + 60_000); // the wrap-ups
  }
  const wallSeconds = (performance.now() - started) / 1000;

  // What went out per channel-week, and what the database kept of what people said.
  const perSession = new Map<string, Map<string, number>>();
  for (const m of platform.messages) {
    const [, session, step] = m.tag?.split(':') ?? [];
    if (!session || !step) continue;
    const counts = perSession.get(session) ?? new Map<string, number>();
    counts.set(step, (counts.get(step) ?? 0) + 1);
    perSession.set(session, counts);
  }
  const expected = CHANNELS * WEEKS;
  const exactlyOnce = (step: string) => [...perSession.values()].filter((c) => c.get(step) === 1).length;
  const duplicates = [...perSession.values()].filter((c) => [...c.values()].some((n) => n > 1)).length;
  const events = platform.events.size;
  const db = instances[0]!.db;
  const storedVotes = await queryRows<{ key: string; choice: number }>(
    db,
    sql`select session_id || ':' || user_id as key, choice from ballot_votes`,
  );
  const storedRsvps = await queryRows<{ key: string; going: boolean }>(
    db,
    sql`select session_id || ':' || user_id as key, going from rsvps`,
  );
  const votesByKey = new Map(storedVotes.map((v) => [v.key, v.choice]));
  const rsvpsByKey = new Map(storedRsvps.map((r) => [r.key, r.going]));
  const lostVotes = [...expectedVotes].filter(([key, choice]) => votesByKey.get(key) !== choice).length;
  const lostRsvps = [...expectedRsvps].filter(([key, going]) => rsvpsByKey.get(key) !== going).length;
  const [discussed] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from discussions`);

  console.log(
    `${CHANNELS} channels × ${WEEKS} weeks = ${expected} channel-weeks, 3 instances on one Postgres`,
  );
  console.log(
    `exactly one: ballot ${exactlyOnce('ballot')}, pick ${exactlyOnce('pick')}, calendar entry ${events}, day-before reminder ${exactlyOnce('remind-day')}, 15-minute reminder ${exactlyOnce('remind-soon')}, wrap-up ${exactlyOnce('wrap')} (of ${expected}); channel-weeks with a duplicate: ${duplicates}`,
  );
  console.log(
    `ballot votes: ${expectedVotes.size} people's last votes, ${lostVotes} lost; RSVPs: ${expectedRsvps.size}, ${lostRsvps} lost; ${deliveries} deliveries (${Math.round(REDELIVERY * 100)} % redelivered); ${platform.updates} message updates`,
  );
  console.log(`papers marked discussed: ${discussed?.n} (of ${expected})`);
  console.log(
    `wall time: ${wallSeconds.toFixed(1)} s (${((wallSeconds * 1000) / WEEKS).toFixed(0)} ms per simulated week)`,
  );
  const ok =
    [
      exactlyOnce('ballot'),
      exactlyOnce('pick'),
      events,
      exactlyOnce('remind-day'),
      exactlyOnce('remind-soon'),
    ].every((n) => n === expected) &&
    duplicates === 0 &&
    lostVotes === 0 &&
    lostRsvps === 0;
  if (!ok) process.exitCode = 1;
} finally {
  for (const database of instances) await database.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/** Papers with team votes in every channel, enough for a ballot of three every week; two presenters each. */
async function seed(database: Database): Promise<void> {
  const { db } = database;
  const papers = Array.from({ length: WEEKS + 3 }, (_, i) =>
    paperInput(`2612.${10001 + i}`, { hfUpvotes: i }),
  );
  await upsertPapers(db, papers);
  for (let c = 0; c < CHANNELS; c++) {
    const ref: ChannelRef = { platform: 'slack', workspaceId: `W${c}`, channelId: `C${c}` };
    const channel = await ensureChannel(db, ref);
    await updateChannel(db, channel.id, {
      sessionEnabled: true,
      sessionDay: 5,
      sessionTime: '15:00',
      timezone: 'UTC',
      sessionAnchor: '2027-01-08',
      digestEnabled: false,
      pickEnabled: false,
      recapEnabled: false,
    });
    await addPresenters(db, channel.id, [
      { userId: 'UADA', userName: 'ada' },
      { userId: 'UBOB', userName: 'bob' },
    ]);
    for (const [i, paper] of papers.entries()) {
      await recordPost(db, {
        channelId: channel.id,
        paperId: paper.id,
        kind: 'share',
        messageId: `share-${i}`,
      });
      await writeVote(db, {
        channel: ref,
        messageId: `share-${i}`,
        userId: `U${i % 7}`,
        emoji: '+1',
        weight: 1,
        active: true,
        at: new Date(FIRST - 10 * DAY),
      });
    }
  }
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
