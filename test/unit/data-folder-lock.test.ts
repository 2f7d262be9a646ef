import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Db, openDatabase, queryRows } from '../../db/client.js';
import { countPapers } from '../../db/repositories/papers.js';
import { createTestDatabase, onServer } from '../helpers/db.js';

const IN_USE =
  /^the data folder (.+) is in use by another papers process \(pid (\d+), started (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ): (.+)\)\. Stop it first, or set DATABASE_URL to a Postgres server to run several\.$/;

/** A lock file as a process that had the folder would have left it. */
async function leaveLock(dataDir: string, owner: { pid: number; host?: string }): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    join(dataDir, 'papers.lock'),
    JSON.stringify({
      pid: owner.pid,
      host: owner.host ?? hostname(),
      started: '2026-12-01T08:00:00Z',
      command: 'npm start',
      token: 'left-behind',
    }),
  );
}

/** Whether the database answers. */
async function answers(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ one: number }>(db, sql`select 1 as one`);
  return row?.one === 1;
}

/** The pid of a process that has ended. */
function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  return new Promise((resolve) => child.on('exit', () => resolve(child.pid!)));
}

describe.skipIf(onServer)('a PGlite data folder is one process’s', { timeout: 60_000 }, () => {
  let dir: string;
  const open: Database[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-lock-'));
  });
  afterAll(async () => {
    for (const database of open) await database.close().catch(() => {});
    for (const child of children) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second opener, naming the process that has it, and opens again once it is closed', async () => {
    const dataDir = join(dir, 'twice');
    const first = await createTestDatabase({ dataDir });
    open.push(first);

    const second = openDatabase({ kind: 'pglite', dataDir });
    await expect(second).rejects.toThrow(IN_USE);
    const message = await second.then(
      () => '',
      (err: Error) => err.message,
    );
    const [, folder, pid, started] = IN_USE.exec(message) ?? [];
    expect([folder, Number(pid)]).toEqual([dataDir, process.pid]);
    expect(Math.abs(Date.parse(started!) - performance.timeOrigin)).toBeLessThan(2_000);
    // The refused opener left the first one's database as it was.
    expect(await countPapers(first.db)).toBe(0);

    await first.close();
    expect(existsSync(join(dataDir, 'papers.lock'))).toBe(false);
    const again = await openDatabase({ kind: 'pglite', dataDir });
    open.push(again);
    expect(await countPapers(again.db)).toBe(0);
    await again.close();
  });

  it('refuses while another live process holds the folder', async () => {
    const dataDir = join(dir, 'held');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    children.push(holder);
    await leaveLock(dataDir, { pid: holder.pid! });
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toThrow(
      `the data folder ${dataDir} is in use by another papers process (pid ${holder.pid}, started 2026-12-01T08:00:00Z: npm start). Stop it first, or set DATABASE_URL to a Postgres server to run several.`,
    );
    // The holder's lock is left alone.
    expect(JSON.parse(await readFile(join(dataDir, 'papers.lock'), 'utf8')).pid).toBe(holder.pid);
  });

  it('takes over the lock of a process that is gone (a crash), and of an earlier process with its own pid (a restarted container)', async () => {
    for (const [name, pid] of [
      ['crashed', await endedPid()],
      ['restarted', process.pid],
    ] as const) {
      const dataDir = join(dir, name);
      await leaveLock(dataDir, { pid });
      const database = await openDatabase({ kind: 'pglite', dataDir });
      open.push(database);
      expect(await answers(database.db)).toBe(true);
      expect(JSON.parse(await readFile(join(dataDir, 'papers.lock'), 'utf8')).pid).toBe(process.pid);
      await database.close();
      expect(existsSync(join(dataDir, 'papers.lock'))).toBe(false);
    }
  });
});
