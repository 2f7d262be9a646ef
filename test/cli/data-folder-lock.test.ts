import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPapersCli as papers } from '../helpers/cli.js';
import { createTestDatabaseUrl, onServer } from '../helpers/db.js';

/** `papers start` on the console, running until its input ends; resolves once it holds the data folder. */
async function startBot(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    env: { ...process.env, LOG_LEVEL: 'silent', DEBUG: '', CHAT_REQUIRED: 'false', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  // Once it answers a command, its database is open.
  child.stdin.write('/papers help\n');
  for (let waited = 0; !output.includes('/papers') && waited < 60_000; waited += 50) {
    if (child.exitCode !== null) throw new Error(`papers start exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, exited };
}

const inUse = (dataDir: string, pid: number) =>
  new RegExp(
    `^papers: the data folder ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another papers process \\(pid ${pid}, started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: papers start\\)\\. Stop it first, or set DATABASE_URL to a Postgres server to run several\\.$`,
  );

describe.skipIf(onServer)('a second papers process on a PGlite data folder', { timeout: 120_000 }, () => {
  let dir: string;
  let dataDir: string;
  let env: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-cli-lock-'));
    dataDir = join(dir, 'pglite');
    await createTestDatabaseUrl(dir);
    env = { DATABASE_URL: `pglite:${dataDir}`, SAMPLE_PAPERS: 'false' };
    file = join(dir, 'papers.jsonl');
    await writeFile(file, `${JSON.stringify({ title: 'Sparse attention for long contexts' })}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused with one line naming the running bot, and runs once the bot has stopped', async () => {
    const bot = await startBot(env);
    try {
      const ingest = await papers(['ingest', '--file', file], env);
      expect(ingest.code).toBe(2);
      expect(ingest.stderr.trim()).toMatch(inUse(dataDir, bot.child.pid!));
      expect(ingest.stdout).toBe('');
      const second = await papers(['start'], env);
      expect([second.code, second.stderr.trim()]).toEqual([
        2,
        expect.stringMatching(inUse(dataDir, bot.child.pid!)),
      ]);
    } finally {
      bot.child.stdin.end();
    }
    expect(await bot.exited).toBe(0);
    expect(existsSync(join(dataDir, 'papers.lock'))).toBe(false);

    const ingest = await papers(['ingest', '--file', file], env);
    expect([ingest.code, ingest.stdout]).toEqual([0, expect.stringContaining('1 new')]);
  });

  it('runs after a bot that was killed (kill -9) left its lock behind', async () => {
    const bot = await startBot(env);
    bot.child.kill('SIGKILL');
    await bot.exited;
    expect(existsSync(join(dataDir, 'papers.lock'))).toBe(true);

    const search = await papers(['search', '--json', 'sparse attention'], env);
    expect(search.stderr).toBe('');
    expect(search.code).toBe(0);
    expect(JSON.parse(search.stdout)[0]?.title).toBe('Sparse attention for long contexts');
    expect(existsSync(join(dataDir, 'papers.lock'))).toBe(false);
  });
});
