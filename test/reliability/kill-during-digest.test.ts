import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl } from '../../db/client.js';
import { ensureChannel } from '../../db/repositories/channels.js';
import { channels } from '../../db/schema.js';
import { upsertPapers } from '../../src/search/store.js';
import { FakeChatServer } from '../fakes/http-chat.js';
import { paperInput } from '../helpers/core.js';
import { createTestDatabaseUrl } from '../helpers/db.js';
import { killAtRandomPoints, seededRandom, sleep, startChild } from './helpers.js';

const PAPERS = 30;
const KILLS = 20;

describe('kill -9 during a digest', () => {
  let dir: string;
  let database: { url: string; destroy(): Promise<void> };
  const chat = new FakeChatServer(25);
  let chatUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-kill-'));
    database = await createTestDatabaseUrl(dir);
    const seeding = await openDatabase(parseDatabaseUrl(database.url));
    await upsertPapers(
      seeding.db,
      Array.from({ length: PAPERS }, (_, i) => paperInput(`2611.${10001 + i}`, { hfUpvotes: 100 - i })),
    );
    const channel = await ensureChannel(seeding.db, {
      platform: 'console',
      workspaceId: 'w',
      channelId: 'kill',
    });
    await seeding.db.update(channels).set({ digestSize: PAPERS }).where(eq(channels.id, channel.id));
    await seeding.close();
    chatUrl = await chat.start();
  });
  afterAll(async () => {
    await chat.stop();
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it(`ends with one complete thread and no duplicate after ${KILLS} kills at random points`, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    const args = ['digest', database.url, chatUrl, 'kill', '2026-11-26'];
    const log = await killAtRandomPoints({
      args,
      chat,
      kills: KILLS,
      random,
      beforeSendChance: 0.15,
      maxMessage: 2,
      maxDelayMs: 50,
      // The killed process's lease (300 ms in this test) must run out before the next may resume.
      pauseMs: 350,
    });
    let status = '';
    for (let attempt = 0; attempt < 5 && !/posted/.test(status); attempt++) {
      const child = startChild(args);
      await child.exited;
      status = child.output.trim().split('\n').at(-1) ?? '';
      if (status === 'busy') await sleep(400);
    }
    const parents = chat.messages.filter((m) => m.kind === 'digest-header');
    const replies = chat.messages.filter((m) => m.kind === 'paper');
    console.log(
      [
        `seed ${seed}`,
        ...log,
        `final run: ${status}`,
        `survived: ${parents.length} parent, ${replies.length} replies, ${new Set(replies.map((r) => r.paperId)).size} distinct papers`,
      ].join('\n'),
    );
    expect(status).toMatch(/posted/);
    expect(parents).toHaveLength(1);
    expect(replies).toHaveLength(PAPERS);
    expect(new Set(replies.map((r) => r.paperId)).size).toBe(PAPERS);
    for (const r of replies) expect(r.thread).toBe(parents[0]?.id);
  });
});
