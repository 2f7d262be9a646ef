import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl } from '../../db/client.js';
import { papers } from '../../db/schema.js';
import { atomFeed, recordedAtomEntries, recordedHfItems } from '../fakes/source-payloads.js';
import { atom, FakeSourceServer, json } from '../fakes/source-server.js';
import { runPapersCli as papersCli } from '../helpers/cli.js';
import { createTestDatabase, onServer, type TestDatabase } from '../helpers/db.js';

const _ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('papers ingest from the command line', { timeout: 90_000 }, () => {
  let server: FakeSourceServer;
  let dir: string;
  let onServerDb: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await FakeSourceServer.start();
    dir = await mkdtemp(join(tmpdir(), 'papers-ingest-cli-'));
    if (onServer) onServerDb = await createTestDatabase();
    env = {
      DATABASE_URL: onServerDb?.url ?? `pglite:${join(dir, 'db')}`,
      HF_API_URL: `${server.url}/api`,
      ARXIV_API_URL: `${server.url}/api/query`,
      ARXIV_RSS_URL: `${server.url}/rss`,
    };
    const items = recordedHfItems();
    server.route('/api/daily_papers', (r) =>
      json(r.query.get('date') === '2026-01-02' ? items.slice(0, 12) : items.slice(10, 15)),
    );
  });

  afterAll(async () => {
    await server.close();
    await onServerDb?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  async function paperCount(): Promise<number> {
    const database = await openDatabase(parseDatabaseUrl(env.DATABASE_URL));
    try {
      return (await database.db.select({ n: sql<number>`count(*)::int` }).from(papers))[0]?.n ?? 0;
    } finally {
      await database.close();
    }
  }

  it('backfills Hugging Face days with progress lines and counts, and skips them on a second run', async () => {
    const first = await papersCli(
      ['ingest', '--source', 'hf', '--from', '2026-01-01', '--to', '2026-01-02'],
      env,
    );
    expect(first.stderr).toContain('[1/2] Hugging Face 2026-01-01: 5 new, 0 updated, 0 unchanged');
    expect(first.stderr).toContain('[2/2] Hugging Face 2026-01-02: 10 new, 0 updated, 2 unchanged');
    expect(first.stdout).toBe(
      '15 new, 0 updated, 2 unchanged, 0 skipped, 0 failed.\n2 requests to Hugging Face, 8.5 papers per request.\n',
    );
    expect(first.code).toBe(0);

    const second = await papersCli(
      ['ingest', '--source', 'hf', '--from', '2026-01-01', '--to', '2026-01-02'],
      env,
    );
    expect(second.stdout).toBe(
      '0 new, 0 updated, 0 unchanged, 2 skipped, 0 failed.\n  skipped 2 already ingested by an earlier run\n',
    );
    expect(server.requests).toHaveLength(2);
    expect(await paperCount()).toBe(15);
  });

  it('adds papers named by pasted links, fetching them from arXiv, and says which it could not find', async () => {
    const [mana] = recordedAtomEntries();
    server.route('/api/query', () => atom(atomFeed([mana!])));
    const run = await papersCli(
      ['ingest', '--link', 'https://arxiv.org/abs/2606.13677v1', 'arXiv:2606.99999'],
      env,
    );
    expect(run.stdout).toBe('2606.13677  Mana: Dexterous Manipulation of Articulated Tools\n');
    expect(run.stderr).toBe('arXiv has no paper 2606.99999\n');
    expect(run.code).toBe(1);
    expect(server.requestsTo('/api/query').map((r) => r.query.get('id_list'))).toEqual([
      '2606.13677,2606.99999',
    ]);
  });

  it.each([
    [['--source', 'hf', '--from', '2026-01-01'], '--from needs --to as well'],
    [['--source', 'arxiv', '--category', 'cs.XX'], 'unknown arXiv category "cs.XX"'],
    [['--link', 'https://example.com/not-a-paper'], 'is not a paper'],
  ])('refuses %j with one line and exit code 2, writing nothing', async (args, message) => {
    const before = server.requests.length;
    const run = await papersCli(['ingest', ...args], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(server.requests.length).toBe(before);
  });
});
