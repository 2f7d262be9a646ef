import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { type Database, type DatabaseTarget, queryRows } from './client.js';
import { MIGRATIONS_FOLDER } from './migrations-folder.js';

export { MIGRATIONS_FOLDER };

/** An arbitrary, fixed key: instances starting together take turns to migrate. */
const MIGRATION_LOCK_KEY = 7_246_310_001;

/**
 * How many of the committed migrations the database has not applied yet: those newer than the last it
 * applied, as the migrator counts them.
 */
export async function pendingMigrations(database: Database): Promise<number> {
  const committed = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  const [table] = await queryRows<{ present: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return committed.length;
  const [last] = await queryRows<{ at: string | number | null }>(
    database.db,
    sql`select max(created_at) as at from drizzle.__drizzle_migrations`,
  );
  const applied = last?.at === null || last?.at === undefined ? undefined : Number(last.at);
  return committed.filter((m) => applied === undefined || applied < m.folderMillis).length;
}

/**
 * Applies the committed migrations, if any is missing. On a server it holds an advisory lock on a dedicated
 * connection, so several instances starting at once migrate one after the other. `onPending` hears how
 * many are about to be applied.
 */
export async function migrate(
  database: Database,
  target: DatabaseTarget,
  options: { onPending?(count: number): void } = {},
): Promise<void> {
  const pending = await pendingMigrations(database);
  if (pending === 0) return;
  options.onPending?.(pending);
  if (target.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = postgres(target.url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle({ client });
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
