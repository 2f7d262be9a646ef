import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markUnitDone } from '../../db/repositories/ingest-units.js';
import { papers } from '../../db/schema.js';
import { eachDay } from '../../src/domain/days.js';
import { runIngestPlan } from '../../src/ingest/ingest-command.js';
import { planIngest } from '../../src/ingest/ingest-request.js';
import { formatSummary } from '../../src/ingest/progress.js';
import { ingestUnitsOf } from '../../src/ingest/run-units.js';
import { type ArxivApi, createArxivApiSource } from '../../src/sources/arxiv-api.js';
import { createHttpClient } from '../../src/sources/http-client.js';
import { createSources } from '../../src/sources/sources.js';
import {
  arxivCatalogue,
  type CataloguePaper,
  FakeSourceServer,
  generateCatalogue,
  queriedWindow,
  type ReceivedRequest,
} from '../fakes/source-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const TODAY = '2026-06-20';
const YEAR_2025 = { from: '2025-01-01', to: '2025-12-31', categories: ['cs.CL'] };
const QUICK_HTTP = { retries: 0, timeoutMs: 10_000 };

/** A month's window as the API is asked for it. */
const window = (first: string, last: string) =>
  `[${first.replaceAll('-', '')}0000 TO ${last.replaceAll('-', '')}2359]`;

describe('backfilling a category from the arXiv API', { timeout: 60_000 }, () => {
  let server: FakeSourceServer;
  let database: TestDatabase;
  let arxiv: ArxivApi;

  beforeEach(async () => {
    server = await FakeSourceServer.start();
    database = await createTestDatabase();
    arxiv = createArxivApiSource({ url: `${server.url}/api/query`, http: createHttpClient(QUICK_HTTP) });
  });

  afterEach(async () => {
    await server.close();
    await database.destroy();
  });

  const rowCount = async () =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(papers))[0]?.n ?? 0;
  const queries = () => server.requestsTo('/api/query');

  function serve(catalogue: CataloguePaper[], fail?: (r: ReceivedRequest) => boolean) {
    server.route(
      '/api/query',
      arxivCatalogue(catalogue, (r) => (fail?.(r) ? { status: 503, body: 'busy' } : undefined)),
    );
  }

  const backfill = (request = YEAR_2025, today = TODAY) =>
    ingestUnitsOf(database.db, arxiv, arxiv.plan(request), { today });

  it('fetches a year of 500 papers in one request per month, and says how many it made', async () => {
    serve(generateCatalogue(500, 'cs.CL', '2025-01-01', '2025-12-31'));
    const summary = await backfill();

    expect(queries().length).toBeLessThanOrEqual(12 + 1);
    expect(queries()).toHaveLength(12);
    expect(queries()[0]?.query.get('search_query')).toBe(
      `cat:cs.CL AND submittedDate:${window('2025-01-01', '2025-01-31')}`,
    );
    expect(queries().map(queriedWindow)).toContain(window('2025-02-01', '2025-02-28'));
    expect(summary.failed).toEqual([]);
    expect(summary.counts.new).toBe(500);
    expect(await rowCount()).toBe(500);
    expect(summary.requests).toBe(12);
    expect(formatSummary(summary)).toEqual([
      '500 new, 0 updated, 0 unchanged, 0 skipped, 0 failed.',
      '12 requests to arXiv, 41.7 papers per request.',
    ]);
  });

  it('prints the request count under the counts of `papers ingest --source arxiv`', async () => {
    serve(generateCatalogue(500, 'cs.CL', '2025-01-01', '2025-12-31'));
    const plan = planIngest(
      { source: 'arxiv', category: 'cs.CL', from: '2025-01-01', to: '2025-12-31' },
      { today: TODAY, categories: [] },
    );
    const sources = createSources(
      { HF_API_URL: `${server.url}/api`, ARXIV_API_URL: `${server.url}/api/query`, ARXIV_RSS_URL: '' },
      { http: QUICK_HTTP, arxivSpacingMs: 0 },
    );
    const out: string[] = [];
    const err: string[] = [];
    const stream = (into: string[]) =>
      ({ isTTY: false, write: (s: string) => into.push(s) }) as unknown as NodeJS.WriteStream;
    const code = await runIngestPlan(database.db, plan, sources, {
      out: stream(out),
      err: stream(err),
      now: () => new Date(`${TODAY}T12:00:00Z`),
    });

    expect(code).toBe(0);
    expect(err).toHaveLength(12);
    expect(err[0]).toBe('[1/12] arXiv cs.CL 2025-01: 42 new, 0 updated, 0 unchanged\n');
    expect(out.join('')).toBe(
      '500 new, 0 updated, 0 unchanged, 0 skipped, 0 failed.\n12 requests to arXiv, 41.7 papers per request.\n',
    );
  });

  it('pages a busy month in large pages: 3000 papers, half of them in March, take 13 requests', async () => {
    serve(
      generateCatalogue(3000, 'cs.CL', '2025-01-01', '2025-12-31', (day) =>
        day.startsWith('2025-03') ? 11 : 1,
      ),
    );
    const summary = await backfill();

    expect(queries().length).toBeLessThanOrEqual(12 + 3);
    expect(queries()).toHaveLength(13);
    const march = queries().filter((r) => queriedWindow(r) === window('2025-03-01', '2025-03-31'));
    expect(march.map((r) => r.query.get('start'))).toEqual(['0', '1000']);
    expect(await rowCount()).toBe(3000);
    expect(formatSummary(summary).at(-1)).toBe('13 requests to arXiv, 230.8 papers per request.');
  });

  it('makes no request at all when the same year is asked for again', async () => {
    serve(generateCatalogue(500, 'cs.CL', '2025-01-01', '2025-12-31'));
    await backfill();
    const before = queries().length;

    const again = await backfill();
    expect(queries().length - before).toBe(0);
    expect(again.alreadyDone).toBe(12);
    expect(formatSummary(again)).toEqual([
      '0 new, 0 updated, 0 unchanged, 12 skipped, 0 failed.',
      '  skipped 12 already ingested by an earlier run',
    ]);
  });

  it('after a month failed, fetches only that month on the next run', async () => {
    const catalogue = generateCatalogue(500, 'cs.CL', '2025-01-01', '2025-12-31');
    let aprilDown = true;
    serve(catalogue, (r) => aprilDown && queriedWindow(r) === window('2025-04-01', '2025-04-30'));
    const first = await backfill();
    expect(first.failed.map((f) => f.unit)).toEqual(['arXiv cs.CL 2025-04']);
    const april = catalogue.filter((p) => p.submitted.startsWith('2025-04')).length;
    expect(await rowCount()).toBe(500 - april);
    expect(first.requests).toBe(12);

    aprilDown = false;
    const before = queries().length;
    const second = await backfill();
    expect(queries().slice(before).map(queriedWindow)).toEqual([window('2025-04-01', '2025-04-30')]);
    expect(second.alreadyDone).toBe(11);
    expect(second.counts.new).toBe(april);
    expect(await rowCount()).toBe(500);
  });

  it('fetches the month that has not settled again on every run, and only that one', async () => {
    serve(generateCatalogue(200, 'cs.CL', '2026-04-01', '2026-06-20'));
    const request = { from: '2026-04-01', to: TODAY, categories: ['cs.CL'] };
    await backfill(request);
    const before = queries().length;

    await backfill(request);
    expect(queries().slice(before).map(queriedWindow)).toEqual([window('2026-06-01', TODAY)]);
    expect(await rowCount()).toBe(200);
  });

  it('counts a month as done when an earlier run finished each of its days one by one', async () => {
    serve(generateCatalogue(500, 'cs.CL', '2025-01-01', '2025-12-31'));
    for (const day of eachDay('2025-02-01', '2025-02-28')) {
      await markUnitDone(database.db, 'arxiv', `arxiv:cs.CL:${day}`, 1);
    }
    // March lacks its last day: it is fetched.
    for (const day of eachDay('2025-03-01', '2025-03-30')) {
      await markUnitDone(database.db, 'arxiv', `arxiv:cs.CL:${day}`, 1);
    }
    const summary = await backfill();

    expect(summary.alreadyDone).toBe(1);
    expect(queries().map(queriedWindow)).not.toContain(window('2025-02-01', '2025-02-28'));
    expect(queries().map(queriedWindow)).toContain(window('2025-03-01', '2025-03-31'));
    expect(queries()).toHaveLength(11);
  });

  it('clips the months to the days asked for, and remembers a part month under its own days', async () => {
    serve(generateCatalogue(300, 'cs.CL', '2025-01-01', '2025-03-31'));
    const units = arxiv.plan({ from: '2025-01-15', to: '2025-03-10', categories: ['cs.CL', 'cs.LG'] });
    expect(units.map((u) => u.key)).toEqual([
      'arxiv:cs.CL:2025-01-15..2025-01-31',
      'arxiv:cs.CL:2025-02',
      'arxiv:cs.CL:2025-03-01..2025-03-10',
      'arxiv:cs.LG:2025-01-15..2025-01-31',
      'arxiv:cs.LG:2025-02',
      'arxiv:cs.LG:2025-03-01..2025-03-10',
    ]);
    expect(arxiv.plan({ from: '2025-03-10', to: '2025-03-10', categories: ['cs.CL'] })[0]?.key).toBe(
      'arxiv:cs.CL:2025-03-10',
    );

    await backfill({ from: '2025-01-15', to: '2025-03-10', categories: ['cs.CL'] });
    expect(queries().map(queriedWindow)).toEqual([
      window('2025-01-15', '2025-01-31'),
      window('2025-02-01', '2025-02-28'),
      window('2025-03-01', '2025-03-10'),
    ]);
    // The whole of March was not fetched: a later run over it asks for it.
    const before = queries().length;
    await backfill({ from: '2025-03-01', to: '2025-03-31', categories: ['cs.CL'] });
    expect(queries().slice(before).map(queriedWindow)).toEqual([window('2025-03-01', '2025-03-31')]);
  });
});
