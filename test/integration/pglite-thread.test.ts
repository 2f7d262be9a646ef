import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, queryRows } from '../../db/client.js';
import { channels } from '../../db/schema.js';
import { createTestDatabase, onServer, type TestDatabase } from '../helpers/db.js';

describe.skipIf(onServer)('the embedded database on its own thread', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.destroy());

  it('leaves the event loop free while a long query runs', async () => {
    const started = performance.now();
    const ticks: number[] = [];
    let running = true;
    const query = queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from generate_series(1, 3000000) a, generate_series(1, 2) b`,
    ).finally(() => {
      running = false;
    });
    let last = performance.now();
    while (running) {
      await sleep(5);
      const now = performance.now();
      ticks.push(now - last);
      last = now;
    }
    expect(await query).toEqual([{ n: 6_000_000 }]);
    // The query takes a good part of a second; timers kept firing on time all along.
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(ticks.length).toBeGreaterThan(10);
    expect(Math.max(...ticks)).toBeLessThan(100);
  });

  it("passes Postgres' error fields to the caller", async () => {
    await database.db.insert(channels).values({ platform: 'console', workspaceId: 'w', channelId: 'c' });
    const err = await database.db
      .insert(channels)
      .values({ platform: 'console', workspaceId: 'w', channelId: 'c' })
      .then(
        () => null,
        (e: unknown) => e as { code?: string; cause?: { code?: string } },
      );
    expect(err?.cause?.code ?? err?.code).toBe('23505');
  });

  it('rolls back a transaction that throws, and holds other queries until a transaction ends', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(channels).values({ platform: 'console', workspaceId: 'w', channelId: 'gone' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const transaction = database.db.transaction(async (tx) => {
      await tx.insert(channels).values({ platform: 'console', workspaceId: 'w', channelId: 'kept' });
      await held;
      order.push('committed');
    });
    await sleep(20);
    const outside = queryRows<{ id: string }>(database.db, sql`select channel_id as id from channels`).then(
      (rows) => {
        order.push('read');
        return rows.map((r) => r.id);
      },
    );
    await sleep(50);
    expect(order).toEqual([]);
    release();
    await transaction;
    expect(await outside).toEqual(['kept']);
    expect(order).toEqual(['committed', 'read']);
  });

  it('answers that the database is unavailable once it is closed', async () => {
    await database.close();
    const err = await queryRows(database.db, sql`select 1`).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(err)).toBe(true);
  });
});
