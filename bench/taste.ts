/**
 * `npm run bench:taste`: does the team's taste find what a team wants, and is it quick enough?
 *
 * BENCH_TEAMS teams (default 3) of 5 have hidden interests: 2–3 topics each, a topic being three specific
 * words of the seed corpus' own vocabulary (words in 2 to 6 of its papers). Every day BENCH_PER_DAY new
 * papers arrive (the seed corpus' words at random; one in five about one of 15 topics, which then uses
 * its words), with Hugging Face upvotes that know nothing of the team. For 30 days the channel gets a
 * digest of 5; each member votes for the papers about one of their topics, and one vote in five is
 * noise: it lands on another paper of that digest, at random. In one run, with the HF-only ranking
 * (taste off) beside it, averaged over the teams:
 *  - precision@5 of the digest on days 21–30 against the team's interests, with taste on (its default 2
 *    places, and 4: all but one);
 *  - precision@5 of `/papers similar` against the topic of the paper asked about, beside the 5 papers HF
 *    upvotes alone would give;
 *  - the time to train on 10,000 votes;
 *  - the time to choose a digest over a library of BENCH_LIBRARY papers (default 100,000) on PGlite.
 * BENCH_PARTS=quality,training,latency runs only some of them.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, queryRows } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureChannel, updateChannel } from '../db/repositories/channels.js';
import { choosePapers } from '../src/digest/choose.js';
import { runDigest } from '../src/digest/run.js';
import { normalisePaper, type PaperInput } from '../src/domain/paper-input.js';
import type { ChannelRef } from '../src/domain/types.js';
import { lexemeOf } from '../src/search/lexemes.js';
import { textWords } from '../src/search/query.js';
import { upsertPapers } from '../src/search/store.js';
import { score, train } from '../src/taste/model.js';
import { similarPapers } from '../src/taste/nearby.js';
import { Idf, termCounts } from '../src/taste/vectors.js';
import { DEFAULT_DOWNVOTE_EMOJI, DEFAULT_UPVOTE_EMOJI, emojiWeights } from '../src/votes/emoji.js';
import { recordReaction } from '../src/votes/record.js';
import { MemoryAdapter } from '../test/fakes/memory-adapter.js';
import { readSeed } from './lib/seed.js';
import { generatePapers, insertGenerated, prng } from './lib/synthetic.js';

const DAYS = 30;
const TEAMS = Number(process.env.BENCH_TEAMS ?? 3);
/**
 * The first team's number. Teams 1–3 are the ones the ranking was developed against; BENCH_FIRST_TEAM=4
 * draws teams it never saw, whose figures are the ones that say whether it generalises.
 */
const FIRST_TEAM = Number(process.env.BENCH_FIRST_TEAM ?? 1);
const PER_DAY = Number(process.env.BENCH_PER_DAY ?? 120);
const LIBRARY = Number(process.env.BENCH_LIBRARY ?? 100_000);
/** Which parts run: any of quality, training, latency (all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'quality,training,latency').split(','));
const MEMBERS = 5;
const NOISE = 0.2;
const TOPICS = 15;
const FIRST_DAY = Date.UTC(2027, 0, 4);
const DAY = 86_400_000;
const weights = emojiWeights(DEFAULT_UPVOTE_EMOJI, DEFAULT_DOWNVOTE_EMOJI);
const ref: ChannelRef = { platform: 'console', workspaceId: 'lab', channelId: 'papers' };

const seed = readSeed();
const docFreq = new Map<string, number>();
for (const p of seed) {
  for (const w of new Set(textWords(`${p.title} ${p.abstract}`))) docFreq.set(w, (docFreq.get(w) ?? 0) + 1);
}
// Specific words, as a research topic is named by: in a few of the corpus' papers, not a stop word.
const vocabulary = [...docFreq]
  .filter(([w, n]) => n >= 2 && n <= 6 && w.length >= 5 && !/\d/.test(w) && lexemeOf(w) !== null)
  .map(([w]) => w);
const common = seed.flatMap((p) => p.abstract.split(/\s+/)).filter(Boolean);

/** A team: its members' topics, and 30 days of papers, each about a topic or none. */
interface Team {
  topicOf: Map<string, number | null>;
  members: number[][];
  interests: Set<number>;
  days: PaperInput[][];
}

function makeTeam(number: number): Team {
  const random = prng(20261207 + number);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // Fifteen topics of three words each, no word in two topics.
  const words = [...vocabulary].sort(() => random() - 0.5).slice(0, TOPICS * 3);
  const topics = Array.from({ length: TOPICS }, (_, t) => words.slice(t * 3, t * 3 + 3));
  const members = Array.from({ length: MEMBERS }, (_, m) =>
    Array.from({ length: 2 + (m % 2) }, (_, i) => (m * 2 + i) % 12),
  );
  const topicOf = new Map<string, number | null>();
  const days = Array.from({ length: DAYS }, (_, d) => {
    const date = new Date(FIRST_DAY + d * DAY);
    return Array.from({ length: PER_DAY }, (_, i) => {
      const topic = random() < 0.2 ? Math.floor(random() * TOPICS) : null;
      const about = topic === null ? [] : topics[topic]!;
      const draw = (n: number) => Array.from({ length: n }, () => pick(common));
      const shuffle = (list: string[]) => list.sort(() => random() - 0.5).join(' ');
      const paper = normalisePaper({
        title: `${shuffle([...draw(6), ...about.slice(0, 2)])} ${number}-${d}-${i}`,
        abstract: shuffle([...draw(70), ...about, ...about, ...about]),
        authors: ['A. Author'],
        hfUpvotes: Math.floor(random() ** 4 * 300),
        hfFeaturedAt: date,
        publishedAt: date,
        source: 'bench',
      });
      topicOf.set(paper.id, topic);
      return paper;
    });
  });
  return { topicOf, members, interests: new Set(members.flat()), days };
}

const about = (team: Team, paperId: string, topics: Iterable<number>) => {
  const topic = team.topicOf.get(paperId);
  return topic !== null && topic !== undefined && new Set(topics).has(topic);
};

async function freshDatabase(): Promise<Database> {
  const target = { kind: 'pglite', dataDir: undefined } as const;
  const database = await openDatabase(target);
  await migrate(database, target);
  return database;
}

/** Thirty days of digests and votes; precision@5 of days 21–30 against the team's interests. */
async function simulate(team: Team, tasteSlots: number): Promise<{ precision: number; database: Database }> {
  const database = await freshDatabase();
  const { db } = database;
  const adapter = new MemoryAdapter();
  const row = await ensureChannel(db, ref);
  await updateChannel(db, row.id, { tasteSlots, digestSize: 5, days: [0, 1, 2, 3, 4, 5, 6] });
  const noise = prng(7);
  const hits: number[] = [];
  for (let d = 0; d < DAYS; d++) {
    await upsertPapers(db, team.days[d]!);
    const now = new Date(FIRST_DAY + d * DAY + 9 * 3_600_000);
    const channel = await ensureChannel(db, ref);
    const from = adapter.delivered.length;
    await runDigest(
      { db, adapter, instanceId: 'bench', now: () => now },
      channel,
      now.toISOString().slice(0, 10),
    );
    const replies = adapter.delivered.slice(from).filter((m) => m.message.kind === 'paper');
    for (const reply of replies) {
      const paperId = reply.message.kind === 'paper' ? reply.message.paper.id : '';
      if (d >= 20) hits.push(about(team, paperId, team.interests) ? 1 : 0);
      for (const [m, member] of team.members.entries()) {
        if (!about(team, paperId, member)) continue;
        // One vote in five is noise: it lands on another paper of the digest, at random.
        const target = noise() < NOISE ? replies[Math.floor(noise() * replies.length)]! : reply;
        const message = { channel: ref, messageId: target.messageId, threadId: target.threadId! };
        const user = { id: `m${m}`, isAdmin: false };
        await recordReaction(db, { action: 'added', message, user, emoji: '+1' }, weights, now);
      }
    }
  }
  return { precision: hits.reduce((a, b) => a + b, 0) / Math.max(1, hits.length), database };
}

/** For papers about the team's topics, the share of the 5 nearest about the same topic, and of the top 5 by upvotes. */
async function similarPrecision(
  team: Team,
  database: Database,
): Promise<{ similar: number; upvotes: number }> {
  const { db } = database;
  const asked = team.days
    .flat()
    .filter((p) => about(team, p.id, team.interests))
    .slice(0, 20);
  const top = await queryRows<{ id: string }>(
    db,
    sql`select id from papers order by hf_upvotes desc, id limit 6`,
  );
  let similar = 0;
  let upvotes = 0;
  for (const paper of asked) {
    const topic = [team.topicOf.get(paper.id)!];
    const { hits } = await similarPapers(db, ref, paper.id, 'similarity', new Date(FIRST_DAY + DAYS * DAY));
    similar += hits.filter((h) => about(team, h.paper.id, topic)).length / 5;
    const others = top.filter((t) => t.id !== paper.id).slice(0, 5);
    upvotes += others.filter((t) => about(team, t.id, topic)).length / 5;
  }
  return { similar: similar / asked.length, upvotes: upvotes / asked.length };
}

const started = performance.now();
const results = { hfOnly: 0, two: 0, four: 0, similar: 0, upvotes: 0 };
for (let t = 0; PARTS.has('quality') && t < TEAMS; t++) {
  const team = makeTeam(FIRST_TEAM - 1 + t);
  const hfOnly = await simulate(team, 0);
  const two = await simulate(team, 2);
  const four = await simulate(team, 4);
  const near = await similarPrecision(team, four.database);
  console.log(
    `team ${FIRST_TEAM + t}: digest precision@5 HF only ${hfOnly.precision.toFixed(2)}, taste 2 places ${two.precision.toFixed(2)}, 4 places ${four.precision.toFixed(2)}; similar ${near.similar.toFixed(2)} (upvotes ${near.upvotes.toFixed(2)})`,
  );
  results.hfOnly += hfOnly.precision / TEAMS;
  results.two += two.precision / TEAMS;
  results.four += four.precision / TEAMS;
  results.similar += near.similar / TEAMS;
  results.upvotes += near.upvotes / TEAMS;
  for (const run of [hfOnly, two, four]) await run.database.close();
}
const ratio = (a: number) => (results.hfOnly > 0 ? `${(a / results.hfOnly).toFixed(1)}×` : '—');
if (PARTS.has('quality')) {
  console.log(
    `digest precision@5, days 21–30, mean of ${TEAMS} teams (${PER_DAY} new papers a day, ${MEMBERS} members, ${Math.round(NOISE * 100)} % noise):`,
  );
  console.log(`  HF only                 ${results.hfOnly.toFixed(3)}`);
  console.log(`  taste, 2 of 5 places    ${results.two.toFixed(3)} (${ratio(results.two)})`);
  console.log(`  taste, 4 of 5 places    ${results.four.toFixed(3)} (${ratio(results.four)})`);
  console.log(
    `similar precision@5: ${results.similar.toFixed(3)}; the 5 most upvoted instead: ${results.upvotes.toFixed(3)}`,
  );
}

// Training on 10,000 votes, as tasteOf does it: the vectors, then the model.
if (PARTS.has('training')) {
  const team = makeTeam(0);
  const papers = team.days.flat();
  while (papers.length < 10_000) papers.push(...team.days.flat().slice(0, 10_000 - papers.length));
  const t0 = performance.now();
  const counts = papers
    .slice(0, 10_000)
    .map((p) => termCounts({ title: p.title, abstract: p.abstract, keywords: [] }));
  const idf = new Idf(counts);
  const examples = counts.map((c, i) => ({
    vector: idf.vector(c),
    positive: about(team, papers[i]!.id, team.interests),
    weight: 1,
  }));
  const t1 = performance.now();
  train(examples);
  const t2 = performance.now();
  console.log(
    `training on 10,000 votes: ${((t2 - t0) / 1000).toFixed(2)} s (vectors ${((t1 - t0) / 1000).toFixed(2)} s, model ${((t2 - t1) / 1000).toFixed(2)} s)`,
  );
  train(examples, { loss: 'hinge' });
  console.log(
    `  the same with hinge loss (a linear SVM): model ${((performance.now() - t2) / 1000).toFixed(2)} s`,
  );

  // Which loss: trained on days 1–20 with one label in five wrong, judged on days 21–30 (precision of the
  // 50 papers each model rates highest), mean over the teams.
  const precision = { logistic: 0, hinge: 0 };
  for (let t = 0; t < TEAMS; t++) {
    const team = makeTeam(FIRST_TEAM - 1 + t);
    const noise = prng(7 + t);
    const vectorsOf = (days: PaperInput[][]) => {
      const papers = days.flat();
      return {
        papers,
        counts: papers.map((p) => termCounts({ title: p.title, abstract: p.abstract, keywords: [] })),
      };
    };
    const taught = vectorsOf(team.days.slice(0, 20));
    const judged = vectorsOf(team.days.slice(20));
    const idf = new Idf([...taught.counts, ...judged.counts]);
    const examples = taught.counts.map((c, i) => {
      const wanted = about(team, taught.papers[i]!.id, team.interests);
      return { vector: idf.vector(c), positive: noise() < NOISE ? !wanted : wanted, weight: 1 };
    });
    for (const loss of ['logistic', 'hinge'] as const) {
      const model = train(examples, { loss });
      const best = judged.counts
        .map((c, i) => ({ id: judged.papers[i]!.id, s: score(model, idf.vector(c)) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 50);
      precision[loss] += best.filter((b) => about(team, b.id, team.interests)).length / 50 / TEAMS;
    }
  }
  console.log(
    `loss, precision@50 on days 21–30 after days 1–20 with 20 % wrong labels: logistic ${precision.logistic.toFixed(3)}, hinge ${precision.hinge.toFixed(3)}`,
  );
}

// A digest's choice over a large library, taste on (30 votes), on PGlite.
if (PARTS.has('latency')) {
  const database = await freshDatabase();
  const { db } = database;
  await insertGenerated(db, generatePapers(seed, LIBRARY, prng(11)));
  const team = makeTeam(0);
  for (const day of team.days) await upsertPapers(db, day);
  const row = await ensureChannel(db, ref);
  await updateChannel(db, row.id, { tasteSlots: 2 });
  const voted = team.days
    .flat()
    .filter((p) => about(team, p.id, team.interests))
    .slice(0, 30);
  const adapter = new MemoryAdapter();
  for (const [i, paper] of voted.entries()) {
    const posted = await adapter.post(ref, { kind: 'text', text: paper.title });
    await db.execute(
      sql`insert into posts (channel_id, paper_id, kind, message_id) values (${row.id}, ${paper.id}, 'share', ${posted.messageId})`,
    );
    const user = { id: `m${i % MEMBERS}`, isAdmin: false };
    await recordReaction(db, { action: 'added', message: posted, user, emoji: '+1' }, weights, new Date());
  }
  const now = new Date(FIRST_DAY + DAYS * DAY);
  const channel = await ensureChannel(db, ref);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    await choosePapers(db, channel, now);
    times.push(performance.now() - t);
  }
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from papers`);
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log(
    `digest choice over ${count?.n} papers on PGlite, taste on: first ${times[0]!.toFixed(0)} ms (trains the taste), then median ${warm[Math.floor(warm.length / 2)]!.toFixed(0)} ms, max ${warm.at(-1)!.toFixed(0)} ms`,
  );
  await database.close();
}
console.log(`wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
