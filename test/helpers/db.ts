import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../db/client.js';
import { adminQuery, withDatabase } from './server-admin.js';

/**
 * A database of its own for one test: PGlite from the migrated dump, or on TEST_DATABASE_URL a new database
 * copied from the migrated template.
 */
export interface TestDatabase extends Database {
  /** The DATABASE_URL that opens this same database again (for restarts and child processes). */
  url: string;
  /** Closes (unless it is closed already) and deletes it. */
  destroy(): Promise<void>;
}

export const onServer = Boolean(process.env.TEST_DATABASE_URL);

/** Creates an empty migrated database; on PGlite `dataDir` keeps it in a folder that outlives a close. */
export async function createTestDatabase(options: { dataDir?: string } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `papers_test_${randomBytes(6).toString('hex')}`;
    // A copy of the database global-setup migrated: the same schema as migrating this one would give.
    await adminQuery(serverUrl, `create database ${name} template ${inject('serverTemplate')}`);
    const url = withDatabase(serverUrl, name);
    const database = await openDatabase({ kind: 'postgres', url });
    const close = closeOnce(database);
    return {
      ...database,
      url,
      close,
      destroy: async () => {
        await close();
        await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      },
    };
  }
  const database = await openDatabase({
    kind: 'pglite',
    dataDir: options.dataDir,
    load: await migratedDump(),
  });
  const url = options.dataDir ? `pglite:${options.dataDir}` : 'memory://';
  const close = closeOnce(database);
  return { ...database, url, close, destroy: close };
}

/** Closing twice is harmless, so a test that closed its database (an outage) can still destroy it. */
function closeOnce(database: Database): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () => {
    closed ??= database.close();
    return closed;
  };
}

/**
 * A migrated, empty database for a bot that opens it itself (another process, or a restart): its URL,
 * and how to remove it. On PGlite a data folder inside `dir`, on a server a fresh database.
 */
export async function createTestDatabaseUrl(dir: string): Promise<{ url: string; destroy(): Promise<void> }> {
  const database = await createTestDatabase(onServer ? {} : { dataDir: join(dir, 'pglite') });
  if (onServer) return database;
  await database.close();
  return { url: database.url, destroy: async () => {} };
}

let dump: Promise<Blob> | undefined;

/** The migrated PGlite data folder global-setup dumped: read from disk once, not for every test. */
function migratedDump(): Promise<Blob> {
  dump ??= readFile(inject('pgliteDump')).then((bytes) => new Blob([bytes]));
  return dump;
}
