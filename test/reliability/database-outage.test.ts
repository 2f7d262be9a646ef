import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { createHandlers, UNAVAILABLE } from '../../src/commands/handlers.js';
import type { InboundHandlers, ReactionEvent } from '../../src/domain/ports.js';
import { upsertPapers } from '../../src/search/store.js';
import { topPapers } from '../../src/votes/leaderboard.js';
import { MemoryAdapter } from '../fakes/memory-adapter.js';
import { CuttableProxy } from '../fakes/tcp-proxy.js';
import { paperInput, sendCommand, testCoreDeps } from '../helpers/core.js';
import { sleep } from './helpers.js';

const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Long enough for dozens of failed reactions and "unavailable" answers, with the rest sent after it;
// OUTAGE_SECONDS=60 or more for a longer one.
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 10) * 1000;

describe('the Postgres server goes away for a while', () => {
  const name = `papers_outage_${Date.now()}`;
  const proxy = new CuttableProxy('127.0.0.1', Number(new URL(SERVER).port || 5432));
  let admin: postgres.Sql;

  beforeAll(async () => {
    admin = postgres(SERVER, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
  });
  afterAll(async () => {
    await proxy.stop();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('answers "temporarily unavailable", keeps running, and counts every redelivered reaction once', async () => {
    const port = await proxy.start();
    const url = new URL(SERVER);
    url.port = String(port);
    url.pathname = `/${name}`;
    const target = { kind: 'postgres', url: url.toString() } as const;
    const database = await openDatabase(target);
    await migrate(database, target);
    await upsertPapers(
      database.db,
      [1, 2, 3].map((i) => paperInput(`2611.0000${i}`, { hfUpvotes: i })),
    );
    const adapter = new MemoryAdapter();
    const handlers: InboundHandlers = createHandlers(testCoreDeps(database.db), adapter);
    await sendCommand(handlers, adapter, 'digest');
    const replies = adapter.delivered.filter((d) => d.kind === 'reply').map((d) => d.messageId);
    const channel = { platform: 'console', workspaceId: 'console', channelId: 'papers' } as const;

    // What a platform would (re)deliver until it gets a success: every reaction, with its own time.
    const events: ReactionEvent[] = [];
    const expected = new Map<string, Set<string>>();
    for (let u = 0; u < 60; u++) {
      const messageId = replies[u % replies.length]!;
      const user = `user-${u}`;
      events.push({
        action: 'added',
        message: { channel, messageId },
        user: { id: user, isAdmin: false },
        emoji: '+1',
        at: new Date(Date.now() + u),
      });
      if (u % 5 === 0) {
        events.push({
          action: 'removed',
          message: { channel, messageId },
          user: { id: user, isAdmin: false },
          emoji: '+1',
          at: new Date(Date.now() + u + 1),
        });
      } else {
        expected.set(messageId, (expected.get(messageId) ?? new Set()).add(user));
      }
    }
    const pending: ReactionEvent[] = [];
    const deliver = async (event: ReactionEvent) => {
      try {
        await handlers.reaction(event);
      } catch {
        pending.push(event);
      }
    };

    const started = Date.now();
    proxy.cut();
    let answeredUnavailable = 0;
    let i = 0;
    while (Date.now() - started < OUTAGE_MS) {
      if (i < events.length) await deliver(events[i++]!);
      await sendCommand(handlers, adapter, 'search sparse attention');
      if (adapter.responses().at(-1) === UNAVAILABLE) answeredUnavailable++;
      await sleep(200);
    }
    const failedDuringOutage = pending.length;
    await proxy.restore();
    while (i < events.length) await deliver(events[i++]!);
    // Redelivery after recovery: the failed ones, then everything once more, as a platform retrying might.
    for (let round = 0; round < 20 && pending.length > 0; round++) {
      const retry = pending.splice(0);
      for (const event of retry) await deliver(event);
      if (pending.length) await sleep(500);
    }
    for (const event of events.slice(0, 10)) await deliver(event);

    const top = await topPapers(database.db, channel, 'all', new Date());
    const counts = Object.fromEntries(top.map((e) => [e.paper.id, e.votes]));
    const paperOf = new Map(
      adapter.delivered
        .filter((d) => d.kind === 'reply')
        .map((d) => [d.messageId, d.message.kind === 'paper' ? d.message.paper.id : '']),
    );
    const wanted = Object.fromEntries(
      [...expected].map(([messageId, users]) => [paperOf.get(messageId), users.size]),
    );
    console.log(
      [
        `outage: ${OUTAGE_MS / 1000} s; reactions sent during it: ${failedDuringOutage} (all failed, to be redelivered)`,
        `searches answered "temporarily unavailable": ${answeredUnavailable}`,
        `after recovery: pending ${pending.length}; counts ${JSON.stringify(counts)}; expected ${JSON.stringify(wanted)}`,
      ].join('\n'),
    );
    expect(answeredUnavailable).toBeGreaterThan(0);
    expect(failedDuringOutage).toBeGreaterThan(0);
    expect(pending).toHaveLength(0);
    expect(counts).toEqual(wanted);
    await sendCommand(handlers, adapter, 'search sparse attention');
    expect(adapter.responses().at(-1)).not.toBe(UNAVAILABLE);
    await database.close();
  });
});
