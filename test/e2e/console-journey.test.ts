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
        ':unreact m2 🚀',
        ':as bob',
        ':unreact m3 👍',
        ':as alice',
        '/papers top',
        '/papers digest',
        ':react m99 👍',
        ':react m2',
        ':frobnicate',
        ':help',
        '/giphy cats',
        '/papers top',
        '/papers pick',
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
    // Each paper with the id commands take and its link, as Slack and Discord link each title.
    const votedId = /\[Save: \/papers save (\S+)\]/.exec(first.slice(first.indexOf('↳ [m2]')))?.[1];
    expect(votedId).toMatch(/^\d{4}\.\d{4,5}$/);
    expect(tops[0]).toContain(`1. 2 votes  ${votedTitle} — ${votedId} https://arxiv.org/abs/${votedId}\n`);
    // The pick keeps its heading above the card.
    expect(first).toContain(`bot: Next discussion:\n        ${votedTitle}\n`);
    expect(tops[1]).toContain(`1. 1 vote   ${votedTitle}`);
    expect(first).toContain("Today's digest is already in this channel");
    expect(first).toContain('No message m99 here: use an id printed in brackets, such as m3.');
    expect(first).toContain('Usage: :react <id> <emoji>, e.g. :react m3 👍');
    // Only a reaction that is there can be taken back; the console says so instead of claiming it.
    expect(first).toContain('alice has no 🚀 reaction on m2: nothing to take back.');
    expect(first).toContain('bob has no 👍 reaction on m3: nothing to take back.');
    expect(first).toContain('Unknown console command ":frobnicate"');
    expect(first).toContain('Anything else you type is a message in the channel, as in a chat');
    expect(first).toContain('Only /papers commands are known here (got "/giphy")');
    expect(tops[2]).toContain(`1. 1 vote   ${votedTitle}`);

    const second = await runConsoleScript(['/papers top all', '/papers digest'], env);
    expect(second).toContain(`1. 1 vote   ${votedTitle}`);
    expect(second).toContain("Today's digest is already in this channel");
    expect(second).not.toContain('↳');
  });
});

/** A reading group's week walked in a minute with `:clock`, as the README shows it. */
describe('console journey: a reading-group session with :clock', () => {
  let dir: string;
  let database: { url: string; destroy(): Promise<void> };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-e2e-session-'));
    database = await createTestDatabaseUrl(dir);
  });
  afterAll(async () => {
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts the ballot, the pick, the reminders and the wrap-up as the clock reaches each', {
    timeout: 120_000,
  }, async () => {
    const out = await runConsoleScript(
      [
        ':clock 2030-01-07T10:00Z',
        '/papers session fri 15:00 UTC',
        '/papers presenters add @you @alice',
        '/papers digest',
        ':react m4 👍',
        ':as alice',
        ':react m5 👍',
        ':react m6 👍',
        ':clock 2030-01-09T15:01Z',
        ':vote m10 2',
        ':vote m10 9',
        ':clock 2030-01-10T09:01Z',
        ':vote m10 1',
        '/papers rsvp going',
        ':clock 2030-01-10T15:01Z',
        ':clock 2030-01-11T14:46Z',
        ':clock 2030-01-11T16:01Z',
        ':clock',
        ':clock yesterday',
      ],
      { DATABASE_URL: database.url, SCHEDULER: 'true' },
    );
    expect(out).toContain("The bot's clock is now Wed 9 Jan 2030, 15:01 UTC.");
    expect(out).toMatch(/\[m10\] #papers bot: 🗳 Which paper for the session on Fri 11 Jan 15:00\?/);
    expect(out).toMatch(/You voted for 2: “.+”\. You can change your vote until Thu 10 Jan 09:00\./);
    expect(out).toContain('The ballot has papers 1 to 3: vote with e.g. `/papers vote 1`.');
    expect(out).toMatch(/\[m\d+\] #papers bot: Next session: Fri 11 Jan 15:00 \(UTC\):/);
    expect(out).toContain('That ballot closed when the pick was announced (Thu 10 Jan 09:01).');
    expect(out).toContain("You're going to the session on Fri 11 Jan 15:00. See you there!");
    expect(out).toMatch(/↳ \[m\d+\] Tomorrow at 15:00 \(UTC\): @you presents “.+”\. 1 going\./);
    expect(out).toMatch(/↳ \[m\d+\] Starting in 15 minutes \(15:00\): @you presents/);
    expect(out).toMatch(
      /↳ \[m\d+\] Thanks for coming! .* is now marked discussed\. Next session: Fri 18 Jan 15:00\./,
    );
    expect(out).toContain('It is Fri 11 Jan 2030, 16:01 UTC.');
    expect(out).toContain('"yesterday" is not a time: use ISO 8601');
  });
});
