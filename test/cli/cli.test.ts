import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPapersCli as papers } from '../helpers/cli.js';
import { createTestDatabaseUrl } from '../helpers/db.js';

describe('papers command line', { timeout: 120_000 }, () => {
  let dir: string;
  let database: { url: string; destroy(): Promise<void> };
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-cli-'));
    database = await createTestDatabaseUrl(dir);
    env = { DATABASE_URL: database.url };
  });
  afterAll(async () => {
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('ingests the good lines of a JSON Lines file, reports the bad ones by line, and searches them', async () => {
    const file = join(dir, 'papers.jsonl');
    await writeFile(
      file,
      [
        JSON.stringify({
          title: 'Sparse attention for long contexts',
          abstract: 'We make attention sparse.',
        }),
        '{"title": "broken',
        JSON.stringify({ abstract: 'no title here' }),
        JSON.stringify({ title: 'Speculative decoding, revisited', arxivId: '2401.00001v2', upvotes: 4 }),
      ].join('\n'),
    );
    const ingest = await papers(['ingest', '--file', file], env);
    expect(ingest.code).toBe(0);
    expect(ingest.stderr).toContain('skipped line 2: not valid JSON');
    expect(ingest.stderr).toContain('skipped line 3: title: missing or not text');
    expect(ingest.stdout).toContain('2 new, 0 updated, 0 unchanged, 2 skipped');

    const again = await papers(['ingest', '--file', file], env);
    expect(again.stdout).toContain('0 new, 0 updated, 2 unchanged, 2 skipped');

    const search = await papers(['search', '--json', 'sparse attention'], env);
    expect(search.code).toBe(0);
    const hits = JSON.parse(search.stdout) as {
      id: string;
      title: string;
      score: number;
      url: string | null;
    }[];
    expect(hits[0]?.title).toBe('Sparse attention for long contexts');
    expect(Object.keys(hits[0] ?? {}).sort()).toEqual(['id', 'score', 'title', 'url']);

    const queries = join(dir, 'queries.txt');
    await writeFile(queries, 'speculative decoding\nsparse attention\n');
    const batch = await papers(['search', '--queries', queries, '--limit', '1'], env);
    const lines = batch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.query, l.results[0]?.id])).toEqual([
      ['speculative decoding', '2401.00001'],
      ['sparse attention', expect.stringMatching(/^paper-/)],
    ]);
  });

  it('adds linked papers it already holds without asking arXiv, and skips the bad links of a batch', async () => {
    const file = join(dir, 'held.jsonl');
    await writeFile(file, JSON.stringify({ title: 'A paper already held', arxivId: '2402.00077' }));
    expect((await papers(['ingest', '--file', file], env)).code).toBe(0);
    // Nothing listens on port 9: arXiv is unreachable.
    const offline = { ...env, ARXIV_API_URL: 'http://127.0.0.1:9/api/query' };
    const held = await papers(['ingest', '--link', 'https://arxiv.org/abs/2402.00077v3'], offline);
    expect(held).toMatchObject({ code: 0, stderr: '' });
    expect(held.stdout).toBe('2402.00077  A paper already held\n');

    const mixed = await papers(
      ['ingest', '--link', 'https://example.com/blog/1', 'arXiv:2402.00077', '2403.00001'],
      offline,
    );
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toBe('2402.00077  A paper already held\n');
    expect(mixed.stderr).toContain('skipped "https://example.com/blog/1": not a paper');
    expect(mixed.stderr).toMatch(
      /arXiv could not be reached \(.+\): 2403\.00001 not added; run the same command again later/,
    );

    const none = await papers(['ingest', '--link', 'https://example.com/blog/1'], offline);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('"https://example.com/blog/1" is not a paper');
  });

  it('lists workspace ids for export, refuses an import with nothing valid, and reports a repeat as nothing new', async () => {
    const empty = await papers(['workspaces'], env);
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toContain('No workspace yet');

    const junk = join(dir, 'junk.jsonl');
    await writeFile(junk, '{"type":"vote","oops":true}\nnot json\n');
    const refused = await papers(['import', junk], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`nothing in ${junk} could be imported (2 lines skipped)`);

    const file = join(dir, 'ws.jsonl');
    const channel = {
      type: 'channel',
      platform: 'slack',
      workspaceId: 'T0LAB',
      channelId: 'C1',
      name: 'reading',
      settings: {
        digestEnabled: true,
        digestTime: '09:00',
        timezone: 'UTC',
        days: [1, 2, 3, 4, 5],
        digestSize: 5,
        follows: [],
        mutes: [],
        emptyNote: true,
        pickEnabled: false,
        pickDay: 5,
        pickTime: '15:00',
        recapEnabled: false,
      },
    };
    await writeFile(file, `${JSON.stringify(channel)}\n`);
    expect((await papers(['import', file], env)).stdout).toBe('Imported 1 channel; 0 skipped.\n');
    expect((await papers(['import', file], env)).stdout).toBe(
      'Nothing new; 1 record was already here; 0 skipped.\n',
    );
    const listed = await papers(['workspaces'], env);
    expect(listed.stdout).toMatch(/^slack\s+T0LAB\s+1 channel: #reading\n$/);
    expect(listed.stderr).toContain('papers export --workspace <id>');
  });

  it('fails clearly on a missing file, a bad command, or bad options (exit 2)', async () => {
    const missing = await papers(['ingest', '--file', join(dir, 'nope.jsonl')], env);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      `papers: no such file: ${join(dir, 'nope.jsonl')}`,
    ]);
    const unknown = await papers(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const limit = await papers(['search', 'x', '--limit', '0'], env);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('must be a whole number from 1 to 1000');
    const badUrl = await papers(['migrate'], { DATABASE_URL: 'nonsense' });
    expect([badUrl.code, badUrl.stderr]).toEqual([
      2,
      expect.stringContaining('DATABASE_URL: must be postgres://'),
    ]);
    const badDay = await papers(
      ['ingest', '--source', 'hf', '--from', '2026-13-01', '--to', '2026-13-02'],
      env,
    );
    expect([badDay.code, badDay.stderr.trim()]).toEqual([
      2,
      'papers: --from 2026-13-01 is not a date: write YYYY-MM-DD',
    ]);
  });

  it('says which database it cannot reach, without a stack trace', async () => {
    const run = await papers(['migrate'], { DATABASE_URL: 'postgres://papers@127.0.0.1:9/papers' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'cannot reach the database (Postgres at postgres://papers@127.0.0.1:9/papers)',
    );
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
