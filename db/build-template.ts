/**
 * Makes the template new PGlite databases start from (db/seed/pglite-template.*): a database made by initdb,
 * with every migration applied. Run it after adding a migration or upgrading PGlite (`npm run db:template`);
 * until then new databases are made the long way, and the template test says it is out of date.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from './client.js';
import { migrate } from './migrate.js';
import { BUNDLED_TEMPLATE, writeTemplate } from './pglite-template.js';

const target = { kind: 'pglite', dataDir: undefined } as const;
const database = await openDatabase(target, { template: false });
try {
  await migrate(database, target);
  // Everything on disk in the data files, so that a copy opens without replaying the log.
  await database.db.execute(sql`checkpoint`);
  const dump = await database.dump!();
  await writeTemplate(BUNDLED_TEMPLATE, new Uint8Array(await dump.arrayBuffer()));
} finally {
  await database.close();
}
console.log(`Wrote ${BUNDLED_TEMPLATE.archive} and ${BUNDLED_TEMPLATE.manifest}.`);
