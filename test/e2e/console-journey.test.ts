import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsoleScript } from '../helpers/console.js';
import { createTestDatabaseUrl } from '../helpers/db.js';

/** The whole path a team walks on the first day, through the console adapter, then a restart. */
describe('console journey: ingest → digest → votes → top → restart', () => {
  let env: Record<string, string>;
  let database: { url: string; destroy(): Promise<void> };
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-e2e-'));
    database = await createTestDatabaseUrl(dir);
    env = { DATABASE_URL: database.url };
  });

  afterAll(async () => {
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('counts each user once, takes votes back, never posts a digest twice, and keeps it all across a restart', {
    timeout: 120_000,
  }, async () => {
    const first = await runConsoleScript(
      [
        '/papers digest',
        ':react m2 👍',
        ':as alice',
        ':react m2 🔥',
        ':react m2 🚀',
        '/papers top',
        ':unreact m2 🔥',
        ':unreact m2 🚀',
        '/papers top',
        '/papers digest',
        ':react m99 👍',
        ':react m2',
        ':frobnicate',
        '/giphy cats',
        '/papers top',
      ],
      env,
    );
    expect(first).toMatch(/\[m1\] #papers bot: 📰 Trending papers — \w{3} \d{1,2} \w{3} · 5 papers/);
    const replies = first.match(/↳ \[m\d+\]/g) ?? [];
    expect(replies).toHaveLength(5);
    const votedTitle = /↳ \[m2\] (.+)/.exec(first)?.[1];
    expect(votedTitle).toBeTruthy();
    const tops = first.split('Top papers this week:').slice(1);
    expect(tops[0]).toContain(`1. 2 votes  ${votedTitle}`);
    expect(tops[1]).toContain(`1. 1 vote   ${votedTitle}`);
    expect(first).toContain("Today's digest is already in this channel");
    expect(first).toContain('No message m99 here: use an id printed in brackets, such as m3.');
    expect(first).toContain('Usage: :react <id> <emoji>, e.g. :react m3 👍');
    expect(first).toContain('Unknown console command ":frobnicate"');
    expect(first).toContain('Only /papers commands are known here (got "/giphy")');
    expect(tops[2]).toContain(`1. 1 vote   ${votedTitle}`);

    const second = await runConsoleScript(['/papers top all', '/papers digest'], env);
    expect(second).toContain(`1. 1 vote   ${votedTitle}`);
    expect(second).toContain("Today's digest is already in this channel");
    expect(second).not.toContain('↳');
  });
});
