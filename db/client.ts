import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { ConfigError } from '../src/config.js';
import { LOCK_FILE, lockDataFolder } from './pglite-lock.js';
import { BUNDLED_TEMPLATE, extractTar, type PgliteTemplate, readTemplate } from './pglite-template.js';
import { ThreadedPGlite } from './pglite-thread.js';
import * as schema from './schema.js';

/** The drizzle database every use case receives; the same on PGlite and on a Postgres server. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database and how to close it. */
export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, for messages (never includes a password). */
  readonly location: string;
  close(): Promise<void>;
  /** On PGlite: the data folder as a tar file, which `load` opens again. */
  dump?(): Promise<Blob>;
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | undefined; load?: Blob }
  | { kind: 'postgres'; url: string };

export const DEFAULT_PGLITE_DIR = './.data/pglite';

/**
 * Reads a `DATABASE_URL`: unset → PGlite in ./.data/pglite; `pglite:<path>` → PGlite there;
 * `memory://` → throwaway PGlite; `postgres://` or `postgresql://` → a server.
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR };
  if (url === 'memory://' || url === 'memory:') return { kind: 'pglite', dataDir: undefined };
  if (url.startsWith('pglite:')) {
    const dir = url.slice('pglite:'.length).replace(/^\/\//, '');
    return { kind: 'pglite', dataDir: dir || DEFAULT_PGLITE_DIR };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new ConfigError([
    `DATABASE_URL: must be postgres://user@host:port/db, pglite:<folder> or memory:// (got "${redactUrl(url)}")`,
  ]);
}

/** A database URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

export interface OpenOptions {
  /** Called when a PGlite data folder holds no database yet, before one is made there (the first start). */
  onCreate?(): void;
  /**
   * What a new PGlite database is copied from: by default the template that comes with the bot, when it
   * matches the migrations; `false` makes it with initdb.
   */
  template?: PgliteTemplate | false;
}

/**
 * Opens the database. A PGlite data folder is locked for this process until `close` (or its exit): a second
 * process opening it is refused with a DataFolderInUseError, which says which process has it.
 */
export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'pglite') {
    // The database thread starts loading while the folder is locked and prepared.
    ThreadedPGlite.warmUp();
    const lock = target.dataDir ? await lockDataFolder(target.dataDir) : undefined;
    let client: ThreadedPGlite;
    try {
      client = await openPglite(target, options);
    } catch (err) {
      lock?.release();
      throw err;
    }
    // On a thread of its own: its queries run synchronously and would hold up the bot's event loop.
    const db = drizzlePglite({ client: client as never, schema }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      location: target.dataDir ? `PGlite in ${target.dataDir}` : 'PGlite in memory',
      close: async () => {
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      },
      dump: () => client.dumpDataDir(),
    };
  }
  const client = postgres(target.url, {
    max: 10,
    onnotice: () => {},
    connect_timeout: 10,
    // postgres.js' documented `socket` option, which its type definitions leave out.
    ...({ socket: noDelaySockets() } as object),
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const database: Database = {
    db,
    kind: 'postgres',
    location: `Postgres at ${redactUrl(target.url)}`,
    close: () => client.end({ timeout: 5 }),
  };
  try {
    await db.execute(sql`select 1`);
  } catch (err) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnreachableError(database.location, err);
  }
  return database;
}

/**
 * Opens PGlite. A new database (in memory, or in a data folder with nothing in it yet) starts as a copy of
 * the template when it matches the migrations; should this PGlite fail to open the copy, it is made with
 * initdb as without a template.
 */
async function openPglite(
  target: Extract<DatabaseTarget, { kind: 'pglite' }>,
  options: OpenOptions,
): Promise<ThreadedPGlite> {
  const { dataDir, load } = target;
  if (load) return ThreadedPGlite.open({ dataDir, load });
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION'))) {
    // A copy that was complete (its PG_VERSION is written last) when its process stopped.
    rmSync(join(dataDir, COPYING), { force: true });
    return ThreadedPGlite.open({ dataDir, load });
  }
  if (dataDir) options.onCreate?.();
  const ours = !dataDir || isOursToFill(dataDir);
  // A copy that was cut short is removed, whether the template or initdb makes the database now.
  if (dataDir && ours) emptyDataFolder(dataDir);
  const template = options.template ?? BUNDLED_TEMPLATE;
  const tar = template && ours ? await readTemplate(template) : undefined;
  if (tar) {
    try {
      if (!dataDir) return await ThreadedPGlite.open({ dataDir, load: new Blob([tar]) });
      writeFileSync(join(dataDir, COPYING), '');
      extractTar(tar, dataDir);
      rmSync(join(dataDir, COPYING));
      return await ThreadedPGlite.open({ dataDir, load: undefined });
    } catch {
      if (dataDir) emptyDataFolder(dataDir);
    }
  }
  return ThreadedPGlite.open({ dataDir, load: undefined });
}

/** Marks a data folder the template is being copied into: a copy cut short is started again. */
const COPYING = 'papers.copying-template';

/** Nothing in the folder but this process's lock, or a copy of the template that was cut short. */
function isOursToFill(dataDir: string): boolean {
  const names = readdirSync(dataDir);
  return names.includes(COPYING) || names.every((name) => name === LOCK_FILE);
}

/** Removes what was put in a data folder that was empty, keeping the lock. */
function emptyDataFolder(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (name !== LOCK_FILE) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

/**
 * Connections to the server with Nagle's algorithm off, as libpq and the JDBC driver open them;
 * postgres.js leaves it on. With it on, a message written while an earlier one is still unacknowledged
 * waits for the server's delayed acknowledgement, up to 40 ms: storing a batch of papers by COPY, whose
 * data goes out in many writes, waited about that long each time. Hosts are tried in turn, as
 * postgres.js does; a Unix socket has no such delay and is opened as it is.
 */
function noDelaySockets(): (options: { host: string[]; port: number[]; path: string | false }) => Socket {
  let next = 0;
  return ({ host, port, path }) => {
    if (path) return connect(path);
    const i = next++ % host.length;
    return connect({ host: host[i], port: port[i] ?? 5432, noDelay: true });
  };
}

/** The server could not be reached at start; carries a message a person can act on. */
export class DatabaseUnreachableError extends Error {
  constructor(location: string, cause: unknown) {
    const root = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
    const reason =
      root instanceof Error ? root.message || (root as { code?: string }).code || root.name : String(root);
    super(
      `cannot reach the database (${location}): ${reason}. Check DATABASE_URL and that the server is running.`,
    );
    this.name = 'DatabaseUnreachableError';
  }
}

/** Runs a raw query on either driver and returns its rows. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Whether the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  return db.execute(sql`select 1`).then(
    () => true,
    () => false,
  );
}

/** True when an error means the database cannot be reached right now (as opposed to a bad query). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  }
  return false;
}
