/**
 * One bot process for the reliability suite: runs (or resumes) a channel's digest against the fake chat
 * server, or ticks a scheduler over simulated days. Meant to be killed at any moment.
 *
 *   digest-child.ts digest <database url> <chat url> <channel> <date>
 *   digest-child.ts days <database url> <chat url> <first day> <days> <instance>
 *   digest-child.ts session <database url> <chat url> <epoch ms> <lease ms> <instant>…
 *
 * In `session` mode the clock stands at each instant plus the real time since `epoch`, so it moves on
 * across the processes that follow one another, and the leases of killed ones run out.
 */
import { openDatabase, parseDatabaseUrl } from '../../db/client.js';
import { ensureChannel } from '../../db/repositories/channels.js';
import { runDigest } from '../../src/digest/run.js';
import { createLogger } from '../../src/log.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { HttpChatAdapter } from '../fakes/http-chat.js';

const [mode, databaseUrl, chatUrl, ...rest] = process.argv.slice(2);
const database = await openDatabase(parseDatabaseUrl(databaseUrl));
const adapter = new HttpChatAdapter(chatUrl!);
process.stdout.write('started\n');

if (mode === 'digest') {
  const [channelId, date] = rest;
  const channel = await ensureChannel(database.db, {
    platform: 'console',
    workspaceId: 'w',
    channelId: channelId!,
  });
  // Leases of killed processes must not block the next one for long in this test.
  const outcome = await runDigest(
    { db: database.db, adapter, instanceId: `pid-${process.pid}`, now: () => new Date(), leaseMs: 300 },
    channel,
    date!,
  );
  process.stdout.write(`${outcome.status}\n`);
} else if (mode === 'days') {
  const [firstDay, days, instance] = rest;
  let now = new Date(`${firstDay}T09:00:00Z`);
  const scheduler = new Scheduler({
    db: database.db,
    log: createLogger('silent'),
    clock: { now: () => now },
    instanceId: instance!,
    adapters: [adapter],
    catchUpMs: 3_600_000,
  });
  for (let day = 0; day < Number(days); day++) {
    for (const minutes of [0, 1, 5]) {
      now = new Date(new Date(`${firstDay}T09:00:00Z`).getTime() + day * 86_400_000 + minutes * 60_000);
      await scheduler.tick();
    }
  }
} else if (mode === 'session') {
  const [epoch, leaseMs, ...instants] = rest;
  let now = new Date();
  const scheduler = new Scheduler({
    db: database.db,
    log: createLogger('silent'),
    clock: { now: () => now },
    instanceId: `pid-${process.pid}`,
    adapters: [adapter],
    catchUpMs: 3_600_000,
    stepLeaseMs: Number(leaseMs),
  });
  for (const instant of instants) {
    now = new Date(Date.parse(instant) + Date.now() - Number(epoch));
    await scheduler.tick(now);
  }
  process.stdout.write('done\n');
}
await database.close();
