import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { papers } from '../../db/schema.js';
import { startIngestJobs } from '../../src/schedule/ingest-jobs.js';
import { createSources } from '../../src/sources/sources.js';
import { recordedHfItems } from '../fakes/source-payloads.js';
import { FakeSourceServer, fixture, json, rss } from '../fakes/source-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('scheduled ingestion', () => {
  let server: FakeSourceServer;
  let database: TestDatabase;
  let logged: Record<string, unknown>[];

  beforeEach(async () => {
    server = await FakeSourceServer.start();
    database = await createTestDatabase();
    logged = [];
  });

  afterEach(async () => {
    await server.close();
    await database.destroy();
  });

  function start() {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const sources = createSources(
      {
        HF_API_URL: `${server.url}/api`,
        ARXIV_API_URL: `${server.url}/api/query`,
        ARXIV_RSS_URL: `${server.url}/rss`,
      },
      { http: { retries: 0, timeoutMs: 2_000 }, arxivSpacingMs: 0, hfSpacingMs: 0 },
    );
    return startIngestJobs({
      db: database.db,
      log: pino({ level: 'info' }, sink),
      sources,
      clock: { now: () => new Date('2026-06-20T15:00:00Z') },
      // Far-away schedules: the test runs the jobs itself.
      config: {
        ARXIV_CATEGORIES: ['cs.LG', 'cs.CL'],
        INGEST_HF_CRON: '0 0 1 1 *',
        INGEST_ARXIV_CRON: '0 0 1 1 *',
        INGEST_ARXIV_TIMEZONE: 'America/New_York',
        HF_REFRESH_DAYS: 2,
        INGEST_REFRESH_CRON: '0 0 1 1 *',
      },
      // Long enough that the arXiv run and the count below finish before the Hugging Face retry starts, even
      // on a busy machine; short enough to wait for.
      retryDelayMs: 1_000,
    });
  }

  const count = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(papers))[0]?.n;
  const countFrom = async (source: string) =>
    (
      await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(papers)
        .where(sql`${papers.sources} ? ${source}`)
    )[0]?.n;

  it('logs a failing Hugging Face run and retries it later, while the arXiv listing goes on', async () => {
    const items = recordedHfItems().slice(0, 5);
    server.script('/api/daily_papers', [
      { status: 503, body: 'down' },
      { status: 503, body: 'down' },
      { status: 503, body: 'down' },
      json(items),
    ]);
    server.script('/rss/cs.LG+cs.CL', [rss(fixture('arxiv_rss_sample.xml'))]);
    const jobs = start();
    try {
      expect(await jobs.runHf()).toBe(false);
      expect(await jobs.runArxiv()).toBe(true);
      // The arXiv listing is stored (the Hugging Face retry may already be running beside it).
      expect(await countFrom('arxiv')).toBe(4);
      expect(logged.find((l) => l.msg === 'ingest run failed')).toMatchObject({
        source: 'hf',
        retryInMs: 1_000,
      });

      await expect.poll(() => server.requestsTo('/api/daily_papers').length, { timeout: 10_000 }).toBe(6);
      await jobs.stop();
      expect(await count()).toBe(9);
      // Each run refreshes the last days, whose upvotes are still moving.
      const days = server.requestsTo('/api/daily_papers').map((r) => r.query.get('date'));
      expect(days).toEqual([
        '2026-06-18',
        '2026-06-19',
        '2026-06-20',
        '2026-06-18',
        '2026-06-19',
        '2026-06-20',
      ]);
    } finally {
      await jobs.stop();
    }
  });

  it('never throws out of a run, even when the database is gone', async () => {
    server.script('/rss/cs.LG+cs.CL', [rss(fixture('arxiv_rss_sample.xml'))]);
    const jobs = start();
    const gone = database;
    await gone.close();
    expect(await jobs.runArxiv()).toBe(false);
    await jobs.stop();
    expect(logged.some((l) => l.msg === 'ingest run failed')).toBe(true);
    database = await createTestDatabase();
    // On a server the closed database is still there: remove it too.
    await gone.destroy();
  });
});
