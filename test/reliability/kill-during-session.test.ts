import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, queryRows } from '../../db/client.js';
import { ensureChannel, updateChannel } from '../../db/repositories/channels.js';
import { recordPost } from '../../db/repositories/posts.js';
import { addPresenters } from '../../db/repositories/presenters.js';
import { writeVote } from '../../db/repositories/votes.js';
import { upsertPapers } from '../../src/search/store.js';
import { FakeChatServer } from '../fakes/http-chat.js';
import { paperInput } from '../helpers/core.js';
import { createTestDatabaseUrl } from '../helpers/db.js';
import { killAtRandomPoints, seededRandom, startChild } from './helpers.js';

const KILLS = Number(process.env.KILLS ?? 20);
const LEASE_MS = 300;
/** Four weekly sessions from Friday 11 Dec 2026 at 15:00 UTC: each one's ballot, pick, reminders and wrap-up. */
const WEEKS = 4;
const INSTANTS = Array.from({ length: WEEKS }, (_, week) =>
  ['09T15:01', '10T09:01', '10T15:01', '11T14:46', '11T16:01'].map((t) => {
    const at = new Date(`2026-12-${t}:00Z`);
    return new Date(at.getTime() + week * 7 * 86_400_000).toISOString();
  }),
).flat();
const STEPS = ['ballot', 'pick', 'remind-day', 'remind-soon', 'wrap'];

describe('kill -9 during a session’s steps', () => {
  let dir: string;
  let database: { url: string; destroy(): Promise<void> };
  const chat = new FakeChatServer(25);
  let chatUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-kill-session-'));
    database = await createTestDatabaseUrl(dir);
    const seeding = await openDatabase(parseDatabaseUrl(database.url));
    const ids = Array.from({ length: 3 * WEEKS }, (_, i) => `2611.${20001 + i}`);
    await upsertPapers(
      seeding.db,
      ids.map((id, i) => paperInput(id, { hfUpvotes: 10 - i })),
    );
    const ref = { platform: 'console', workspaceId: 'w', channelId: 'club' } as const;
    const channel = await ensureChannel(seeding.db, ref);
    await updateChannel(seeding.db, channel.id, {
      sessionEnabled: true,
      sessionDay: 5,
      sessionTime: '15:00',
      timezone: 'UTC',
      sessionAnchor: '2026-12-11',
      digestEnabled: false,
      pickEnabled: false,
      recapEnabled: false,
    });
    await addPresenters(seeding.db, channel.id, [
      { userId: 'ada', userName: 'ada' },
      { userId: 'bob', userName: 'bob' },
    ]);
    // Papers with team votes, so each week holds a ballot.
    for (const [i, id] of ids.entries()) {
      await recordPost(seeding.db, {
        channelId: channel.id,
        paperId: id,
        kind: 'share',
        messageId: `share-${i}`,
      });
      await writeVote(seeding.db, {
        channel: ref,
        messageId: `share-${i}`,
        userId: `voter-${i}`,
        emoji: '+1',
        weight: 1,
        active: true,
        at: new Date('2026-12-08T12:00:00Z'),
      });
    }
    await seeding.close();
    chatUrl = await chat.start();
  });
  afterAll(async () => {
    await chat.stop();
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it(`posts each step of ${WEEKS} sessions once, with no gap, after ${KILLS} kills at random points`, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    const epoch = String(Date.now());
    const args = ['session', database.url, chatUrl, epoch, String(LEASE_MS), ...INSTANTS];
    const log = await killAtRandomPoints({
      args,
      chat,
      kills: KILLS,
      random,
      beforeSendChance: 0.2,
      maxMessage: 3,
      maxDelayMs: 40,
      // The killed process's claims (LEASE_MS in this test) run out before the next may take them over.
      pauseMs: LEASE_MS + 50,
    });
    const last = startChild(args);
    await last.exited;
    expect(last.output).toContain('done');

    const byStep = Object.fromEntries(
      STEPS.map((step) => [step, chat.messages.filter((m) => m.tag?.endsWith(`:${step}`)).length]),
    );
    console.log([`seed ${seed}`, ...log, `messages per step: ${JSON.stringify(byStep)}`].join('\n'));
    expect(byStep).toEqual(Object.fromEntries(STEPS.map((step) => [step, WEEKS])));
    for (const pick of chat.messages.filter((m) => m.tag?.endsWith(':pick'))) {
      const session = pick.tag!.split(':')[1];
      for (const step of ['remind-day', 'remind-soon', 'wrap']) {
        expect(chat.messages.find((m) => m.tag === `session:${session}:${step}`)?.thread).toBe(pick.id);
      }
    }
    const check = await openDatabase(parseDatabaseUrl(database.url));
    try {
      const discussed = await queryRows<{ n: number }>(
        check.db,
        sql`select count(*)::int as n from discussions`,
      );
      const rotation = await queryRows<{ user_id: string }>(
        check.db,
        sql`select user_id from presenters order by position`,
      );
      expect(discussed[0]?.n).toBe(WEEKS);
      // Ada and Bob took turns, each moved to the end of the rotation once per session they presented.
      expect(rotation.map((r) => r.user_id)).toEqual(['ada', 'bob']);
    } finally {
      await check.close();
    }
  });
});
