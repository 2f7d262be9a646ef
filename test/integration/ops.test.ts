import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningBot, startBot } from '../../src/main.js';
import { createTestDatabase, onServer, type TestDatabase } from '../helpers/db.js';

describe('health and metrics', () => {
  let bot: RunningBot | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await bot?.stop();
    await database?.destroy();
  });

  it('serves /healthz and /metrics on PORT, counting what the bot did', async () => {
    // On PGlite the bot opens its own throwaway database; on a server it gets a fresh one.
    if (onServer) database = await createTestDatabase();
    const url = database?.url ?? 'memory://';
    const input = new PassThrough();
    const output = new PassThrough();
    const printed: string[] = [];
    output.on('data', (c: Buffer) => printed.push(c.toString()));
    bot = await startBot({
      config: loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent', SCHEDULER: 'false' }),
      input,
      output,
      interactive: false,
    });
    const base = `http://127.0.0.1:${bot.port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, database: 'ok', adapters: { console: 'connected' } });

    // The counters live as long as the process: what this bot did is the difference it made to them.
    const counted = async () => {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
      return {
        metrics,
        replies: value('papers_replies_posted_total'),
        digests: value('papers_digests_posted_total'),
        searches: value('papers_search_duration_seconds_count'),
      };
    };
    const before = await counted();
    input.write('/papers digest\n/papers search sparse attention\n');
    await expect.poll(() => printed.join(''), { timeout: 10_000 }).toContain('Results 1');
    const after = await counted();
    expect(after.metrics).toMatch(/^papers_replies_posted_total [1-9]\d*$/m);
    expect(after.metrics).toMatch(/^papers_digests_posted_total [1-9]\d*$/m);
    expect(after.metrics).toMatch(/^papers_search_duration_seconds_count [1-9]\d*$/m);
    expect(after.replies).toBeGreaterThan(before.replies);
    expect(after.digests).toBe(before.digests + 1);
    expect(after.searches).toBe(before.searches + 1);

    // The process's own metrics carry the prefix once.
    expect(after.metrics).toMatch(/^papers_process_cpu_seconds_total \d/m);
    expect(after.metrics).toMatch(/^papers_nodejs_heap_size_used_bytes \d/m);
    expect(after.metrics).not.toMatch(/papers_process_process_/);

    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('serves no port from a console unless PORT is set, so two console sessions run side by side', async () => {
    const bots = await Promise.all(
      [0, 1].map(() =>
        startBot({
          config: loadConfig({ DATABASE_URL: 'memory://', LOG_LEVEL: 'silent', SCHEDULER: 'false' }),
          input: new PassThrough(),
          output: new PassThrough(),
          interactive: false,
        }),
      ),
    );
    try {
      expect(bots.map((b) => b.port)).toEqual([undefined, undefined]);
    } finally {
      for (const b of bots) await b.stop();
    }
  });

  it('waits unhealthy, saying what is missing, when a chat platform is required and none is configured', async () => {
    const waiting = await startBot({
      config: loadConfig({
        DATABASE_URL: 'memory://',
        LOG_LEVEL: 'silent',
        SCHEDULER: 'false',
        PORT: '0',
        CHAT_REQUIRED: 'true',
      }),
      input: new PassThrough(),
      output: new PassThrough(),
      interactive: false,
    });
    try {
      // No console to end: it keeps running (a container would otherwise be restarted in a loop).
      const ended = await Promise.race([
        waiting.closed.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 300)),
      ]);
      expect(ended).toBe(false);
      const health = await fetch(`http://127.0.0.1:${waiting.port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/^No chat platform is configured: set SLACK_BOT_TOKEN/),
      });
    } finally {
      await waiting.stop();
    }
  });
});
