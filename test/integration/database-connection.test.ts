import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../db/client.js';
import { createTestDatabase, onServer, type TestDatabase } from '../helpers/db.js';

describe.runIf(onServer)('connections to a Postgres server', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  it('go on to the next host of a DATABASE_URL when the first refuses', async () => {
    const url = new URL(database.url);
    // Port 1 on this machine refuses at once.
    const twoHosts = database.url.replace(url.host, `127.0.0.1:1,${url.host}`);
    const second = await openDatabase({ kind: 'postgres', url: twoHosts });
    try {
      const rows = await queryRows<{ name: string }>(second.db, sql`select current_database() as name`);
      expect(rows).toEqual([{ name: url.pathname.slice(1) }]);
    } finally {
      await second.close();
    }
  });
});
