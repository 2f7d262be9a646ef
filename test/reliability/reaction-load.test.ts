import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { createHandlers } from '../../src/commands/handlers.js';
import type { InboundHandlers, ReactionEvent } from '../../src/domain/ports.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { SAMPLE_PAPERS_FILE } from '../../src/main.js';
import { upsertPapers } from '../../src/search/store.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { paperInput, sendCommand, testCoreDeps } from '../helpers/core.js';
import { seededRandom, sleep } from './helpers.js';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// 12 s at 1000/s is ~12,000 reactions (and ~1,200 redeliveries) on 6,000 message-user pairs: enough for
// every pair to see adds, removals and duplicates racing each other. LOAD_SECONDS=60 or more for a soak.
const SECONDS = Number(process.env.LOAD_SECONDS ?? 12);
const RATE = Number(process.env.REACTIONS_PER_SECOND ?? 1000);
const SEARCHES_PER_SECOND = 10;

describe('reactions at load, mixed with searches, on one instance', () => {
  const name = `papers_load_${Date.now()}`;
  let admin: postgres.Sql;
  let database: Database;

  beforeAll(async () => {
    admin = postgres(SERVER, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(SERVER);
    u.pathname = `/${name}`;
    database = await openDatabase({ kind: 'postgres', url: u.toString() });
    await migrate(database, { kind: 'postgres', url: u.toString() });
    await ingestFile(database.db, SAMPLE_PAPERS_FILE);
    await upsertPapers(
      database.db,
      Array.from({ length: 20 }, (_, i) => paperInput(`2611.${20000 + i}`, { hfUpvotes: 500 + i })),
    );
  });
  afterAll(async () => {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it(`keeps exact counts at ${RATE} reactions/s for ${SECONDS} s, and reports search latency`, async () => {
    const adapter = new MemoryAdapter();
    const handlers: InboundHandlers = createHandlers(testCoreDeps(database.db), adapter);
    await sendCommand(handlers, adapter, 'size 20');
    await sendCommand(handlers, adapter, 'digest');
    const posts = adapter.delivered.filter((d) => d.kind === 'reply');
    const channel = { platform: 'console', workspaceId: 'console', channelId: 'papers' } as const;
    const random = seededRandom(7);
    const last = new Map<string, { active: boolean; paper: string; user: string }>();
    let sent = 0;
    let failed = 0;
    const searchMs: number[] = [];
    const inFlight = new Set<Promise<void>>();
    const started = Date.now();
    let eventClock = started;

    const searches = (async () => {
      const words = ['attention', 'agents', 'multimodal', 'reasoning', 'memory', 'diffusion', 'tokenizer'];
      while (Date.now() - started < SECONDS * 1000) {
        const t = performance.now();
        await sendCommand(handlers, adapter, `search ${words[Math.floor(random() * words.length)]}`);
        searchMs.push(performance.now() - t);
        await sleep(1000 / SEARCHES_PER_SECOND);
      }
    })();

    // Send in 10 ms ticks to hold the rate; each event has its own time so the newest always wins.
    while (Date.now() - started < SECONDS * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE) - sent;
      for (let i = 0; i < due; i++) {
        const post = posts[Math.floor(random() * posts.length)]!;
        const user = `u${Math.floor(random() * 300)}`;
        const action = random() < 0.7 ? 'added' : 'removed';
        const at = new Date(++eventClock);
        const event: ReactionEvent = {
          action,
          message: { channel, messageId: post.messageId },
          user: { id: user, isAdmin: false },
          emoji: 'fire',
          at,
        };
        const paper = post.message.kind === 'paper' ? post.message.paper.id : '';
        last.set(`${post.messageId}|${user}`, { active: action === 'added', paper, user });
        const p = handlers.reaction(event).then(
          () => {},
          () => {
            failed++;
          },
        );
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
        // A tenth of the events arrive twice, as a platform's redelivery would.
        if (random() < 0.1) {
          const again = handlers.reaction(event).catch(() => {
            failed++;
          });
          inFlight.add(again);
          void again.finally(() => inFlight.delete(again));
        }
        sent++;
      }
      await sleep(10);
    }
    await Promise.all(inFlight);
    await searches;
    const elapsed = (Date.now() - started) / 1000;

    const expected = new Map<string, Set<string>>();
    for (const { active, paper, user } of last.values()) {
      if (active) expected.set(paper, (expected.get(paper) ?? new Set()).add(user));
    }
    const top = await topPapers(database.db, channel, 'all', new Date(), { limit: 100 });
    const counts = Object.fromEntries(top.map((e) => [e.paper.id, e.votes]));
    const wanted = Object.fromEntries([...expected].map(([paper, users]) => [paper, users.size]));
    searchMs.sort((a, b) => a - b);
    const pct = (p: number) =>
      searchMs[Math.min(searchMs.length - 1, Math.floor(p * searchMs.length))]!.toFixed(1);
    console.log(
      [
        `sent ${sent} reactions (+10% redelivered) in ${elapsed.toFixed(1)} s: ${(sent / elapsed).toFixed(0)}/s; failed ${failed}`,
        `searches: ${searchMs.length}, latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms`,
        `papers with votes: ${Object.keys(counts).length}; counts exact: ${JSON.stringify(counts) === JSON.stringify(Object.fromEntries(Object.entries(counts).map(([k]) => [k, wanted[k]])))}`,
      ].join('\n'),
    );
    expect(failed).toBe(0);
    expect(counts).toEqual(wanted);
  });
});
