/**
 * The Discord door under load, against the fake Discord on 127.0.0.1 (real discord.js, real core):
 *   1. interaction-to-first-callback latency with 20 concurrent `/papers search` over 100k papers;
 *   2. reaction events per second, with the votes counted exactly.
 * Run: npm run bench:discord   (BENCH_PAPERS, BENCH_ROUNDS, BENCH_REACTIONS to resize;
 * BENCH_DATABASE_URL=postgres://… to use a throwaway database on a server instead of PGlite)
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase, queryRows } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { papers } from '../db/schema.js';
import { indexPapers } from '../src/search/vectors.js';
import { rebuildVocabulary } from '../src/search/vocabulary.js';
import { DiscordTestBot, PAPERS_COMMAND, sentMessages } from '../test/adapters/discord-harness.js';

const PAPERS = Number(process.env.BENCH_PAPERS ?? 100_000);
const CONCURRENCY = 20;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REACTIONS = Number(process.env.BENCH_REACTIONS ?? 5000);
const BATCH = 1000;

/** A vocabulary of made-up words: a handful common, most rare, as in real abstracts. */
const SYLLABLES = 'ka lo mi ne ru sa ti vo ze pa qui dro fen gal hes jor'.split(' ');
const WORDS = Array.from({ length: 4000 }, (_, i) => {
  let word = '';
  for (let n = i + SYLLABLES.length; n > 0; n = Math.floor(n / SYLLABLES.length)) {
    word += SYLLABLES[n % SYLLABLES.length];
  }
  return word;
});

/** A small deterministic generator, so every run searches the same library. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  // Zipf-like: word i is drawn about 1/(i+1) as often as the commonest.
  const word = () => WORDS[Math.floor(Math.exp(next() * Math.log(WORDS.length + 1))) - 1]!;
  const phrase = (n: number) => Array.from({ length: n }, word).join(' ');
  // People search for topical terms, not the commonest words: queries draw from ranks 100 and beyond.
  const topical = () => WORDS[100 + Math.floor(next() * (WORDS.length - 100))]!;
  const query = () => `${topical()} ${topical()}`;
  return { next, word, phrase, query };
}

async function openBenchDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const server = process.env.BENCH_DATABASE_URL;
  if (!server) {
    const target = { kind: 'pglite', dataDir: undefined } as const;
    const database = await openDatabase(target);
    await migrate(database, target);
    return { database, drop: () => database.close() };
  }
  const name = `papers_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const target = { kind: 'postgres', url: url.toString() } as const;
  const database = await openDatabase(target);
  await migrate(database, target);
  return {
    database,
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

async function generateLibrary(database: Database): Promise<void> {
  const random = generator(42);
  const started = performance.now();
  for (let offset = 0; offset < PAPERS; offset += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, PAPERS - offset) }, (_, i) => {
      const n = offset + i;
      const arxivId = `29${String(Math.floor(n / 99_999) + 1).padStart(2, '0')}.${String((n % 99_999) + 1).padStart(5, '0')}`;
      return {
        id: arxivId,
        arxivId,
        title: `${random.phrase(6)} ${n}`,
        abstract: random.phrase(120),
        authors: [`Author ${n % 997}`, `Author ${(n * 7) % 991}`],
        publishedAt: new Date(Date.UTC(2026, 0, 1) + (n % 330) * 86_400_000),
        url: `https://arxiv.org/abs/${arxivId}`,
        hfUpvotes: Math.floor(random.next() * 200),
      };
    });
    await database.db.insert(papers).values(rows);
  }
  // Inserted around ingest, so their search vectors and the vocabulary are written here.
  await indexPapers(database.db);
  await rebuildVocabulary(database.db);
  console.log(`library: ${PAPERS} papers inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function describe(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${label}: n=${sorted.length} p50=${fmt(percentile(sorted, 50))} p99=${fmt(percentile(sorted, 99))} max=${fmt(sorted.at(-1) ?? Number.NaN)}`,
  );
}

async function searchLatency(bot: DiscordTestBot): Promise<void> {
  const random = generator(7);
  const firstCallback: number[] = [];
  const answered: number[] = [];
  // Round 0 warms up (JIT, connection pool, caches) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    const before = bot.handled;
    const sent = Array.from({ length: CONCURRENCY }, () => {
      const query = random.query();
      const at = performance.now();
      return {
        at,
        interaction: bot.slash(PAPERS_COMMAND, 'search', [{ name: 'query', value: query }], 'bench'),
      };
    });
    await bot.handledAtLeast(before + CONCURRENCY, 300_000);
    if (round === 0) continue;
    for (const { at, interaction } of sent) {
      const [ack, answer] = bot.answersTo(interaction);
      if (!ack || !answer || ack.body?.type !== 5)
        throw new Error(`search ${interaction.id} was not answered`);
      firstCallback.push(ack.at - at);
      answered.push(answer.at - at);
    }
  }
  describe(`first callback (defer), ${CONCURRENCY} concurrent searches`, firstCallback);
  describe(`results shown (editReply), ${CONCURRENCY} concurrent searches`, answered);
}

async function reactionThroughput(bot: DiscordTestBot, database: Database): Promise<void> {
  await bot.settle(() => bot.slash(PAPERS_COMMAND, 'digest', [], 'bench'));
  const replies = sentMessages(bot.fake).filter((m) => m.kind === 'reply');
  if (replies.length === 0) throw new Error('the digest posted no papers');
  const users = Array.from({ length: REACTIONS }, (_, i) => `voter${i}`);
  for (const user of users) bot.userId(user);
  const before = bot.handled;
  const started = performance.now();
  users.forEach((user, i) => {
    const paper = replies[i % replies.length]!;
    bot.reaction('added', paper.threadId!, paper.messageId!, '👍', user);
  });
  await bot.handledAtLeast(before + REACTIONS, 120_000);
  const seconds = (performance.now() - started) / 1000;
  const [row] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from votes where active and emoji = '+1'`,
  );
  console.log(
    `reactions: ${REACTIONS} sent, ${bot.handled - before} handled, ${row?.n} votes recorded in ${seconds.toFixed(2)} s = ${(REACTIONS / seconds).toFixed(0)} events/s`,
  );
  if (row?.n !== REACTIONS) throw new Error(`expected ${REACTIONS} votes, found ${row?.n}`);
}

/** The same burst with a stand-in core that does nothing: the door's own ceiling, without the database. */
async function adapterOnlyThroughput(): Promise<void> {
  const idle = async () => {};
  const bot = await DiscordTestBot.start(null, { handlers: () => ({ command: idle, reaction: idle }) });
  try {
    const thread = bot.fake.addChannel({
      id: bot.fake.snowflake(),
      type: 11,
      parent_id: bot.fake.textChannelId,
      name: 'digest',
      thread_metadata: {
        archived: false,
        auto_archive_duration: 10080,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    });
    const message = bot.fake.snowflake();
    const started = performance.now();
    for (let i = 0; i < REACTIONS; i++) bot.reaction('added', thread.id, message, '👍', `voter${i}`);
    await bot.handledAtLeast(REACTIONS, 120_000);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `reactions, adapter only (stand-in core): ${REACTIONS} sent, ${bot.handled} handled in ${seconds.toFixed(2)} s = ${(REACTIONS / seconds).toFixed(0)} events/s`,
    );
  } finally {
    await bot.stop();
  }
}

await adapterOnlyThroughput();
const { database, drop } = await openBenchDatabase();
try {
  console.log(`database: ${database.kind}`);
  await generateLibrary(database);
  const bot = await DiscordTestBot.start(database.db);
  try {
    await searchLatency(bot);
    await reactionThroughput(bot, database);
  } finally {
    await bot.stop();
  }
} finally {
  await drop();
}
