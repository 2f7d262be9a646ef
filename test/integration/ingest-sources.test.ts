import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { papers } from '../../db/schema.js';
import { findArxivIds } from '../../src/domain/arxiv-id.js';
import { resolvePapers } from '../../src/ingest/resolve-papers.js';
import { ingestUnitsOf } from '../../src/ingest/run-units.js';
import { createArxivApiSource } from '../../src/sources/arxiv-api.js';
import { createHfDailySource } from '../../src/sources/hf-daily.js';
import { createHttpClient } from '../../src/sources/http-client.js';
import { createSources, type Sources } from '../../src/sources/sources.js';
import {
  arxivErrorFeed,
  atomFeed,
  emptyWeekendRss,
  recordedAtomEntries,
  recordedHfItems,
} from '../fakes/source-payloads.js';
import { atom, FakeSourceServer, fixture, json, rss } from '../fakes/source-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const TODAY = '2026-06-20';
const QUICK_HTTP = { retries: 1, backoffMs: 5, timeoutMs: 2_000 };

describe('ingesting from the upstream sources', () => {
  let server: FakeSourceServer;
  let database: TestDatabase;
  let sources: Sources;

  beforeEach(async () => {
    server = await FakeSourceServer.start();
    database = await createTestDatabase();
    sources = createSources(
      {
        HF_API_URL: `${server.url}/api`,
        ARXIV_API_URL: `${server.url}/api/query`,
        ARXIV_RSS_URL: `${server.url}/rss`,
        SOURCES_CONTACT: 'papers-admin@lab.example',
      },
      { http: QUICK_HTTP, arxivSpacingMs: 0, hfSpacingMs: 0 },
    );
  });

  afterEach(async () => {
    await server.close();
    await database.destroy();
  });

  const db = () => database.db;
  const rowCount = async () => (await db().select({ n: sql<number>`count(*)::int` }).from(papers))[0]?.n;
  const row = async (id: string) => (await db().select().from(papers).where(eq(papers.id, id)))[0];
  const hfDay = (day: string) => ({ from: day, to: day, categories: [] });

  it('stores a Hugging Face day across all its pages, with upvotes, comments, summary and code links', async () => {
    const items = recordedHfItems();
    server.route('/api/daily_papers', (r) => {
      const page = Number(r.query.get('p'));
      const limit = Number(r.query.get('limit'));
      return json(items.slice(page * limit, (page + 1) * limit));
    });
    const hf = createHfDailySource({
      baseUrl: `${server.url}/api`,
      http: createHttpClient(QUICK_HTTP),
      pageSize: 8,
    });
    const summary = await ingestUnitsOf(db(), hf, hf.plan(hfDay('2026-06-12')), { today: TODAY });

    expect(summary.counts).toEqual({ new: 30, updated: 0, unchanged: 0 });
    expect(server.requests.map((r) => r.query.get('p'))).toEqual(['0', '1', '2', '3']);
    expect(server.requests[0]?.query.get('date')).toBe('2026-06-12');
    expect(await rowCount()).toBe(30);
    expect(await row('2606.06113')).toMatchObject({
      hfUpvotes: 13,
      hfComments: 2,
      githubRepo: 'https://github.com/nianbai006/SDG',
      githubStars: 5,
      projectPage: 'https://huggingface.co/collections/P1n3/sdg',
      thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.06113.png',
      hfFeaturedAt: new Date('2026-06-12T00:00:00.000Z'),
      sources: ['hf'],
    });
    expect((await row('2606.06113'))?.keywords).toContain('structured set prediction');
    expect((await row('2606.06113'))?.aiSummary).toMatch(/^Structured Defect Grounding/);
  });

  it('refreshes upvotes of a day seen before, and counts what did not change', async () => {
    const items = recordedHfItems().slice(0, 3);
    server.script('/api/daily_papers', [json(items), json(withUpvotes(items, { '2606.12730': 40 }))]);
    const units = sources.hf.plan(hfDay('2026-06-19'));
    await ingestUnitsOf(db(), sources.hf, units, { today: TODAY });
    const again = await ingestUnitsOf(db(), sources.hf, units, { today: TODAY });
    expect(again.counts).toEqual({ new: 0, updated: 1, unchanged: 2 });
    expect((await row('2606.12730'))?.hfUpvotes).toBe(40);
  });

  it('skips and counts a malformed item, and keeps the others', async () => {
    const items = [...recordedHfItems().slice(0, 2), { paper: { id: 2606, title: ['not', 'text'] } }];
    server.script('/api/daily_papers', [json(items)]);
    const summary = await ingestUnitsOf(db(), sources.hf, sources.hf.plan(hfDay('2026-06-12')), {
      today: TODAY,
    });
    expect(summary.counts.new).toBe(2);
    expect([...summary.skippedItems.entries()]).toEqual([
      ['paper.id: Invalid input: expected string, received number', 1],
    ]);
    expect(await rowCount()).toBe(2);
  });

  it('stores nothing of a day whose second page is cut off, fails that day only and goes on', async () => {
    const items = recordedHfItems();
    server.route('/api/daily_papers', (r) => {
      if (r.query.get('date') === '2026-06-10' && r.query.get('p') === '1')
        return { body: '[{"paper": {"id": "26' };
      const page = Number(r.query.get('p'));
      return json(page === 0 ? items.slice(0, 50) : []);
    });
    const hf = createHfDailySource({
      baseUrl: `${server.url}/api`,
      http: createHttpClient(QUICK_HTTP),
      pageSize: 30,
    });
    const summary = await ingestUnitsOf(
      db(),
      hf,
      hf.plan({ from: '2026-06-10', to: '2026-06-11', categories: [] }),
      { today: TODAY },
    );
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]?.unit).toBe('Hugging Face 2026-06-10');
    expect(summary.failed[0]?.reason).toMatch(/invalid JSON/);
    expect(summary.counts.new).toBe(30);
    // The failed day is not remembered: the next run tries it again, and skips the one that worked.
    const before = server.requests.length;
    const retry = await ingestUnitsOf(
      db(),
      hf,
      hf.plan({ from: '2026-06-10', to: '2026-06-11', categories: [] }),
      { today: TODAY },
    );
    expect(retry.alreadyDone).toBe(1);
    expect(server.requests.slice(before).map((r) => r.query.get('date'))).toEqual([
      '2026-06-10',
      '2026-06-10',
    ]);
  });

  it('changes nothing when an HTML error page comes instead of JSON', async () => {
    server.script('/api/daily_papers', [
      { body: '<!DOCTYPE html><html><body>Bad Gateway</body></html>', contentType: 'text/html' },
    ]);
    const summary = await ingestUnitsOf(db(), sources.hf, sources.hf.plan(hfDay('2026-06-12')), {
      today: TODAY,
    });
    expect(summary.failed[0]?.reason).toMatch(/HTML page instead of JSON/);
    expect(await rowCount()).toBe(0);
  });

  it('retries a 500 and stores the answer that follows', async () => {
    server.script('/api/daily_papers', [{ status: 500, body: 'oops' }, json(recordedHfItems().slice(0, 4))]);
    const summary = await ingestUnitsOf(db(), sources.hf, sources.hf.plan(hfDay('2026-06-12')), {
      today: TODAY,
    });
    expect(summary.failed).toEqual([]);
    expect(summary.counts.new).toBe(4);
    // Both attempts say who is calling and how to reach the deployment's operator.
    expect(server.requests.map((r) => r.userAgent)).toEqual([
      'papers/0.1 (chat bot for research teams; mailto:papers-admin@lab.example)',
      'papers/0.1 (chat bot for research teams; mailto:papers-admin@lab.example)',
    ]);
  });

  it('merges a paper seen on Hugging Face and on arXiv into one row with the signals of both', async () => {
    const [mana] = recordedAtomEntries();
    const hfItem = {
      ...recordedHfItems()[0],
      paper: { ...(recordedHfItems()[0]?.paper as object), id: '2606.13677', upvotes: 42 },
    };
    server.script('/api/daily_papers', [json([hfItem])]);
    server.script('/api/query', [atom(atomFeed([mana!]))]);
    await ingestUnitsOf(db(), sources.hf, sources.hf.plan(hfDay('2026-06-12')), { today: TODAY });
    const summary = await ingestUnitsOf(
      db(),
      sources.arxiv,
      sources.arxiv.plan({ from: '2026-06-11', to: '2026-06-11', categories: ['cs.RO'] }),
      { today: TODAY },
    );
    expect(summary.counts).toEqual({ new: 0, updated: 1, unchanged: 0 });
    expect(await rowCount()).toBe(1);
    expect(await row('2606.13677')).toMatchObject({
      hfUpvotes: 42,
      categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG'],
      sources: ['arxiv', 'hf'],
      version: 1,
    });
    const query = server.requestsTo('/api/query')[0]?.query;
    expect(query?.get('search_query')).toBe('cat:cs.RO AND submittedDate:[202606110000 TO 202606112359]');
    expect(query?.get('sortBy')).toBe('submittedDate');
  });

  it('records a new version of a known paper on the same row', async () => {
    const [mana] = recordedAtomEntries();
    const v2 = mana!
      .replace('2606.13677v1</id>', '2606.13677v2</id>')
      .replace(
        'Mana: Dexterous Manipulation of Articulated Tools',
        'Mana: Dexterous Manipulation of\n      Articulated Tools, Revised',
      );
    server.script('/api/query', [atom(atomFeed([mana!])), atom(atomFeed([v2]))]);
    await sources.arxiv.lookup(['2606.13677']).then((f) => ingestFetched(f.papers));
    const second = await sources.arxiv.lookup(['2606.13677']);
    const counts = await ingestFetched(second.papers);
    expect(counts).toEqual({ new: 0, updated: 1, unchanged: 0 });
    expect(await rowCount()).toBe(1);
    expect(await row('2606.13677')).toMatchObject({
      version: 2,
      title: 'Mana: Dexterous Manipulation of Articulated Tools, Revised',
    });
  });

  it('pages through a category-month until the feed says it is complete', async () => {
    const entries = recordedAtomEntries();
    server.route('/api/query', (r) => {
      const start = Number(r.query.get('start'));
      const size = Number(r.query.get('max_results'));
      return atom(atomFeed(entries.slice(start, start + size), entries.length));
    });
    const arxiv = createArxivApiSource({
      url: `${server.url}/api/query`,
      http: createHttpClient(QUICK_HTTP),
      pageSize: 2,
    });
    const summary = await ingestUnitsOf(
      db(),
      arxiv,
      arxiv.plan({ from: '2026-05-01', to: '2026-05-31', categories: ['cs.LG'] }),
      {
        today: TODAY,
      },
    );
    expect(server.requests.map((r) => r.query.get('start'))).toEqual(['0', '2', '4']);
    expect(server.requests[0]?.query.get('search_query')).toBe(
      'cat:cs.LG AND submittedDate:[202605010000 TO 202605312359]',
    );
    expect(summary.counts.new).toBe(5);
    expect(summary.requests).toBe(3);
  });

  it('fails a category-month rather than remember it when arXiv answers an empty page mid-way', async () => {
    const entries = recordedAtomEntries();
    server.route('/api/query', (r) =>
      atom(atomFeed(r.query.get('start') === '0' ? entries.slice(0, 2) : [], entries.length)),
    );
    const arxiv = createArxivApiSource({
      url: `${server.url}/api/query`,
      http: createHttpClient(QUICK_HTTP),
      pageSize: 2,
    });
    const units = arxiv.plan({ from: '2026-05-01', to: '2026-05-31', categories: ['cs.LG'] });
    const summary = await ingestUnitsOf(db(), arxiv, units, { today: TODAY });
    expect(summary.failed[0]?.reason).toBe('arXiv answered an empty page at 2 of 5; try again later');
    // Both pages asked for count, the one that failed the month too.
    expect(summary.requests).toBe(2);
    expect(await rowCount()).toBe(0);
    expect((await ingestUnitsOf(db(), arxiv, units, { today: TODAY })).alreadyDone).toBe(0);
  });

  it('changes nothing when arXiv answers with an "Error" entry', async () => {
    server.script('/api/query', [atom(arxivErrorFeed('malformed submittedDate'))]);
    const summary = await ingestUnitsOf(
      db(),
      sources.arxiv,
      sources.arxiv.plan({ from: '2026-06-01', to: '2026-06-01', categories: ['cs.CL'] }),
      { today: TODAY },
    );
    expect(summary.failed[0]?.reason).toBe('arXiv reported an error: malformed submittedDate');
    expect(await rowCount()).toBe(0);
  });

  it("ingests a day's RSS listing of several categories, and an empty Saturday listing without failing", async () => {
    server.script('/rss/cs.LG+cs.CL', [rss(fixture('arxiv_rss_sample.xml')), rss(emptyWeekendRss())]);
    const request = { from: TODAY, to: TODAY, categories: ['cs.LG', 'cs.CL'] };
    const weekday = await ingestUnitsOf(db(), sources.rss, sources.rss.plan(request), { today: TODAY });
    expect(weekday.counts.new).toBe(4);
    expect((await row('2009.13987'))?.version).toBe(3);
    const saturday = await ingestUnitsOf(db(), sources.rss, sources.rss.plan(request), { today: TODAY });
    expect(saturday.failed).toEqual([]);
    expect(saturday.counts).toEqual({ new: 0, updated: 0, unchanged: 0 });
    expect(await rowCount()).toBe(4);
  });

  it('skips settled days an earlier run finished, and fetches recent ones again', async () => {
    server.route('/api/daily_papers', (r) =>
      json(recordedHfItems().filter((_, i) => i % 10 === Number(r.query.get('date')?.slice(-1)))),
    );
    const units = sources.hf.plan({ from: '2026-06-01', to: '2026-06-03', categories: [] });
    const first = await ingestUnitsOf(db(), sources.hf, units, { today: TODAY });
    expect(first.counts.new).toBe(9);
    const second = await ingestUnitsOf(db(), sources.hf, units, { today: TODAY });
    expect(second.alreadyDone).toBe(3);
    expect(server.requests).toHaveLength(3);

    const recent = sources.hf.plan(hfDay('2026-06-19'));
    await ingestUnitsOf(db(), sources.hf, recent, { today: TODAY });
    const refreshed = await ingestUnitsOf(db(), sources.hf, recent, { today: TODAY });
    expect(refreshed.alreadyDone).toBe(0);
    expect(server.requests).toHaveLength(5);
  });

  it('resolves pasted links: known papers from the library, unknown ones fetched by id and stored', async () => {
    const [mana, multiagent] = recordedAtomEntries();
    server.script('/api/query', [atom(atomFeed([mana!])), atom(atomFeed([multiagent!]))]);
    await sources.arxiv.lookup(['2606.13677']).then((f) => ingestFetched(f.papers));

    const text =
      'have you seen https://arxiv.org/abs/2606.13591v1 and hf.co/papers/2606.13677 or 2501.99999?';
    const resolved = await resolvePapers(db(), findArxivIds(text), sources.arxiv);
    expect(resolved.papers.map((p) => p.id)).toEqual(['2606.13591', '2606.13677']);
    expect(resolved.notFound).toEqual(['2501.99999']);
    const lookups = server.requestsTo('/api/query').map((r) => r.query.get('id_list'));
    expect(lookups).toEqual(['2606.13677', '2606.13591,2501.99999']);
    expect((await row('2606.13591'))?.title).toBe('Multiagent Protocols with Aggregated Confidence Signals');
  });

  async function ingestFetched(
    found: Parameters<typeof import('../../src/search/store.js').upsertPapers>[1],
  ) {
    const { upsertPapers } = await import('../../src/search/store.js');
    return upsertPapers(db(), found);
  }
});

function withUpvotes(items: Record<string, unknown>[], upvotes: Record<string, number>) {
  return items.map((item) => {
    const paper = item.paper as { id: string };
    return upvotes[paper.id] === undefined
      ? item
      : { ...item, paper: { ...paper, upvotes: upvotes[paper.id] } };
  });
}
