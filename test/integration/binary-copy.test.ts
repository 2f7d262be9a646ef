import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BinaryCopyWriter, copyBinary } from '../../db/binary-copy.js';
import { type Db, queryRows } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('a COPY the database refuses', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  it('fails its transaction, and the database goes on answering', async () => {
    // Three bytes of text for an integer column: valid COPY data the server refuses, by which time
    // postgres.js has sent the end of the COPY.
    const wrong = new BinaryCopyWriter(1).row().text('abc').finish();
    const started = performance.now();
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`create temp table copied (n int)`);
        await copyBinary(tx as unknown as Db, 'copied', wrong, { timeoutMs: 2_000 });
      }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(10_000);
    const [row] = await queryRows<{ n: number }>(database.db, sql`select 1 as n`);
    expect(row?.n).toBe(1);
  });
});
