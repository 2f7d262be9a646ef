import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { ensureChannel } from '../../db/repositories/channels.js';
import { channels } from '../../db/schema.js';
import { upsertPapers } from '../../src/search/store.js';
import { FakeChatServer } from '../fakes/http-chat.js';
import { paperInput } from '../helpers/core.js';
import { startChild } from './helpers.js';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DAYS = Number(process.env.DAYS ?? 100);
const CHANNELS = ['alpha', 'beta', 'gamma'];

describe('three bot processes on one Postgres', () => {
  const name = `papers_three_${Date.now()}`;
  let admin: postgres.Sql;
  let url: string;
  const chat = new FakeChatServer();

  beforeAll(async () => {
    admin = postgres(SERVER, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const u = new URL(SERVER);
    u.pathname = `/${name}`;
    url = u.toString();
    const database = await openDatabase({ kind: 'postgres', url });
    await migrate(database, { kind: 'postgres', url });
    await upsertPapers(
      database.db,
      Array.from({ length: DAYS * CHANNELS.length }, (_, i) =>
        paperInput(`2601.${String(10000 + i)}`, { hfUpvotes: i }),
      ),
    );
    for (const id of CHANNELS) {
      const row = await ensureChannel(database.db, { platform: 'console', workspaceId: 'w', channelId: id });
      await database.db
        .update(channels)
        .set({
          digestTime: '09:00',
          timezone: 'UTC',
          days: [0, 1, 2, 3, 4, 5, 6],
          digestSize: 1,
          pickEnabled: false,
          recapEnabled: false,
        })
        .where(eq(channels.id, row.id));
    }
    await database.close();
  });
  afterAll(async () => {
    await chat.stop();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it(`post exactly one digest per channel and day over ${DAYS} simulated days`, async () => {
    const chatUrl = await chat.start();
    const started = Date.now();
    const children = ['one', 'two', 'three'].map((instance) =>
      startChild(['days', url, chatUrl, '2026-01-01', String(DAYS), instance]),
    );
    const codes = await Promise.all(children.map((c) => c.exited));
    const perChannel = Object.fromEntries(
      CHANNELS.map((id) => [
        id,
        chat.messages.filter((m) => m.channel === id && m.kind === 'digest-header').length,
      ]),
    );
    const tags = chat.messages.filter((m) => m.kind === 'digest-header').map((m) => m.tag);
    console.log(
      [
        `3 processes × ${DAYS} days × ${CHANNELS.length} channels in ${((Date.now() - started) / 1000).toFixed(1)} s (exit codes ${codes.join(', ')})`,
        `digests posted per channel: ${JSON.stringify(perChannel)}; distinct runs: ${new Set(tags).size}`,
      ].join('\n'),
    );
    for (const child of children) expect(child.output).not.toMatch(/Error/);
    expect(codes).toEqual([0, 0, 0]);
    expect(perChannel).toEqual(Object.fromEntries(CHANNELS.map((id) => [id, DAYS])));
    expect(new Set(tags).size).toBe(tags.length);
    expect(chat.messages.filter((m) => m.kind === 'paper')).toHaveLength(DAYS * CHANNELS.length);
  });
});
