/**
 * A digest of 10 papers to 100 channels through the in-memory adapter, which refuses any message that
 * comes sooner than 1 s after the previous one in its channel (as Slack's rate limit would). Prints the
 * wall time against the limit's floor and the number of lost posts.
 *
 *   npm run bench:digest [-- --channels 100 --size 10] [-- --server postgres://postgres@127.0.0.1:5432/postgres]
 *
 * On PGlite in memory by default; with --server, in a throwaway database created (and dropped) there.
 */
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, parseDatabaseUrl } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { ensureChannel } from '../db/repositories/channels.js';
import { channels } from '../db/schema.js';
import { createLogger } from '../src/log.js';
import { Scheduler } from '../src/schedule/scheduler.js';
import { upsertPapers } from '../src/search/store.js';
import { MemoryAdapter } from '../test/fakes/memory-adapter.js';
import { paperInput } from '../test/helpers/core.js';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '100' },
    size: { type: 'string', default: '10' },
    server: { type: 'string' },
  },
});
const channelCount = Number(values.channels);
const size = Number(values.size);
const intervalMs = 1000;

let dropDatabase = async () => {};
let url = 'memory://';
if (values.server) {
  const name = `papers_bench_digest_${Date.now()}`;
  const admin = postgres(values.server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(values.server);
  u.pathname = `/${name}`;
  url = u.toString();
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
const target = parseDatabaseUrl(url);
const database = await openDatabase(target);
await migrate(database, target);
const now = new Date();
await upsertPapers(
  database.db,
  Array.from({ length: 2000 }, (_, i) =>
    paperInput(`2611.${String(10000 + i)}`, {
      title: `Generated paper ${i}`,
      hfUpvotes: (i * 7919) % 500,
      hfFeaturedAt: new Date(now.getTime() - (i % 10) * 86_400_000),
    }),
  ),
);
const hhmm = now.toISOString().slice(11, 16);
for (let i = 0; i < channelCount; i++) {
  const row = await ensureChannel(database.db, {
    platform: 'console',
    workspaceId: 'bench',
    channelId: `c${i}`,
  });
  await database.db
    .update(channels)
    .set({
      digestTime: hhmm,
      timezone: 'UTC',
      days: [0, 1, 2, 3, 4, 5, 6],
      digestSize: size,
      pickEnabled: false,
      recapEnabled: false,
    })
    .where(eq(channels.id, row.id));
}

// Paced per channel as the Slack adapter paces its own sends; refused if a message still comes too soon.
const adapter = new MemoryAdapter({ paceMs: intervalMs, rateLimitMs: intervalMs });
const scheduler = new Scheduler({
  db: database.db,
  log: createLogger('warn'),
  clock: { now: () => new Date() },
  instanceId: 'bench',
  adapters: [adapter],
  catchUpMs: 3_600_000,
});
const started = performance.now();
const report = await scheduler.tick();
const wallS = (performance.now() - started) / 1000;
const floorS = size; // 1 parent + `size` replies, 1 s apart: the last leaves `size` seconds after the first
const expected = channelCount * (size + 1);
const delivered = adapter.delivered.filter((d) => d.kind !== 'response').length;
console.log(`database: ${database.location}`);
console.log(`channels: ${channelCount}, papers per digest: ${size}, limit: 1 message/s/channel`);
console.log(`digests posted: ${report.digests}, failed: ${report.failed}`);
console.log(
  `messages delivered: ${delivered} of ${expected}; refused by the rate limit: ${adapter.rateLimited}`,
);
console.log(
  `wall time: ${wallS.toFixed(2)} s; floor set by the limit: ${floorS} s (≈${floorS + 1} s with the first message); ratio: ${(wallS / (floorS + 1)).toFixed(2)}×`,
);
await database.close();
await dropDatabase();
if (delivered !== expected || adapter.rateLimited > 0) process.exit(1);
