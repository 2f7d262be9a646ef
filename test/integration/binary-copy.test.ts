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

  it('fails at once with the reason, fails its transaction, and the database goes on answering', async () => {
    // Three bytes of text for an integer column: valid COPY data the server refuses, by which time
    // postgres.js has sent the end of the COPY.
    const wrong = new BinaryCopyWriter(1).row().text('abc').finish();
    const started = performance.now();
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`create temp table copied (n int)`);
        await copyBinary(tx as unknown as Db, 'copied', wrong, { timeoutMs: 20_000 });
      }),
    ).rejects.toThrow(/insufficient data|binary data format/);
    expect(performance.now() - started).toBeLessThan(5_000);
    const [row] = await queryRows<{ n: number }>(database.db, sql`select 1 as n`);
    expect(row?.n).toBe(1);
  });

  it('outside a transaction, fails at once, stores nothing, and the pool serves what comes next', async () => {
    await database.db.execute(sql`create table copied (n int primary key)`);
    await database.db.execute(sql`insert into copied values (3)`);
    // The last row repeats a stored key: the server refuses the COPY only once it has all the rows.
    const rows = new BinaryCopyWriter(1);
    for (const n of [1, 2, 3]) rows.row().int4(n);
    const started = performance.now();
    await expect(copyBinary(database.db, 'copied', rows.finish(), { timeoutMs: 20_000 })).rejects.toThrow(
      /duplicate key/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from copied`),
      ),
    );
    expect(answers.map(([row]) => row?.n)).toEqual([1, 1, 1, 1]);
  });
});
