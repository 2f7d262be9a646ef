import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../src/domain/errors.js';

/** The file in a PGlite data folder that says which process has it open. */
export const LOCK_FILE = 'papers.lock';

/** What the lock file holds. */
interface LockOwner {
  pid: number;
  host: string;
  /** When the process started, ISO 8601. */
  started: string;
  /** How it was started, for the message a second process shows. */
  command: string;
  /** Tells this lock from an earlier one of a process that had the same pid. */
  token: string;
}

/** A data folder this process holds, until `release`. */
export interface DataFolderLock {
  release(): void;
}

/**
 * The data folder is open in another process: PGlite is one process's database, and two writing the same
 * folder corrupt it.
 */
export class DataFolderInUseError extends UserError {
  constructor(
    readonly dataDir: string,
    readonly owner: { pid: number; started: string; command: string },
  ) {
    super(
      `the data folder ${dataDir} is in use by another papers process (pid ${owner.pid}, started ${owner.started}: ${owner.command}). Stop it first, or set DATABASE_URL to a Postgres server to run several.`,
    );
    this.name = 'DataFolderInUseError';
  }
}

/** Locks this process holds, by the data folder's absolute path: the token written in each. */
const held = new Map<string, string>();
let releasedOnExit = false;

/**
 * Takes the data folder for this process, creating the folder if need be. Another live process holding it
 * is refused with a DataFolderInUseError; a lock left by a process that is gone (a crash) is taken over.
 */
export async function lockDataFolder(dataDir: string): Promise<DataFolderLock> {
  const folder = resolve(dataDir);
  const path = join(folder, LOCK_FILE);
  mkdirSync(folder, { recursive: true });
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    started: isoSeconds(performance.timeOrigin),
    command: describeCommand(),
    token: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    if (tryCreate(path, owner)) {
      held.set(folder, owner.token);
      releaseOnExit();
      return { release: () => release(folder, owner.token) };
    }
    const other = readOwner(path);
    if (other === 'gone') continue;
    if (other === 'unreadable') {
      // Being written by a process that has just created it, or left empty by one that died doing so.
      if (ageMs(path) < 2_000) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      takeOver(path, undefined);
      continue;
    }
    if (isAlive(other, folder)) throw new DataFolderInUseError(dataDir, other);
    takeOver(path, other);
  }
  throw new Error(`could not lock the data folder ${dataDir}: its lock file ${path} keeps changing`);
}

/** Creates the lock file, saying who holds it, only if there is none. */
function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(path: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.token !== 'string') return 'unreadable';
    return {
      pid: owner.pid,
      host: String(owner.host ?? ''),
      started: String(owner.started ?? 'at an unknown time'),
      command: String(owner.command ?? 'papers'),
      token: owner.token,
    };
  } catch {
    return 'unreadable';
  }
}

/**
 * Whether the process that wrote the lock still runs. A lock written on another machine (a container
 * since replaced) cannot be checked and counts as left behind. A lock with this process's own pid that
 * this process did not take was left by an earlier process that had the same pid (a restarted container).
 */
function isAlive(owner: LockOwner, folder: string): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return held.get(folder) === owner.token;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a lock left behind. It is moved aside first, so that of two processes taking it over at once
 * only one removes it; should the moved file be a live process's new lock, it is put back.
 */
function takeOver(path: string, stale: LockOwner | undefined): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readOwner(aside);
  const same =
    stale === undefined
      ? moved === 'unreadable'
      : moved !== 'gone' && moved !== 'unreadable' && moved.token === stale.token;
  if (!same) {
    try {
      linkSync(aside, path);
    } catch {
      // Another process has locked the folder since: it keeps it.
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // Already gone.
  }
}

function release(folder: string, token: string): void {
  if (held.get(folder) !== token) return;
  held.delete(folder);
  const path = join(folder, LOCK_FILE);
  const owner = readOwner(path);
  if (owner === 'gone' || owner === 'unreadable' || owner.token !== token) return;
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** A process that ends without closing its database (an error, process.exit) still frees its folders. */
function releaseOnExit(): void {
  if (releasedOnExit) return;
  releasedOnExit = true;
  process.once('exit', () => {
    for (const [folder, token] of [...held]) release(folder, token);
  });
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** `2026-12-07T03:10:00Z`. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What a person would recognise of this process: `npm start`, `papers ingest --file x.jsonl`. */
function describeCommand(): string {
  const args = process.argv.slice(2);
  const script = process.argv[1] ? basename(process.argv[1]) : '';
  let command: string;
  if (process.env.npm_lifecycle_event === 'start' && args[0] === 'start') command = 'npm start';
  else if (/^cli\.(ts|js)$/.test(script)) command = ['papers', ...args].join(' ');
  else command = ['node', script, ...args].filter(Boolean).join(' ');
  const line = command.replace(/\s+/g, ' ');
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
