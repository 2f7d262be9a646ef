import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import {
  eventCallback,
  formBody,
  postSigned,
  reactionEvent,
  SIGNING_SECRET,
  slashCommand,
} from '../fakes/slack-requests.js';
import { createTestDatabaseUrl } from '../helpers/db.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A whole run of the bot, its every log line read back for the secrets it was configured with. */
describe('logs of a full run', { timeout: 120_000 }, () => {
  let dir: string;
  let database: { url: string; destroy(): Promise<void> };
  let slack: FakeSlackApi;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-secrets-'));
    database = await createTestDatabaseUrl(dir);
    slack = await FakeSlackApi.start();
  });
  afterAll(async () => {
    await slack.close();
    await database.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('never contain a token, signing secret or database password, even when calls fail', async () => {
    const botToken = `xoxb-${randomBytes(12).toString('hex')}`;
    const password = `pw${randomBytes(8).toString('hex')}`;
    const databaseUrl = database.url.startsWith('postgres')
      ? database.url.replace('postgres://postgres@', `postgres://postgres:${password}@`)
      : database.url;
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        LOG_LEVEL: 'trace',
        SCHEDULER: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (c: Buffer) => {
      logs += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      logs += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await expect.poll(() => logs, { timeout: 60_000, interval: 200 }).toContain('papers started');

    const events = `http://127.0.0.1:${port}/slack/events`;
    const form = { contentType: 'application/x-www-form-urlencoded' };
    await postSigned(events, formBody(slashCommand('search attention', 'U1', slack.responseUrl())), form);
    await postSigned(events, formBody(slashCommand('frobnicate', 'U1', slack.responseUrl())), form);
    // A Web API failure while posting: its error is logged.
    slack.fail(
      'chat.postMessage',
      { kind: 'http', status: 500 },
      { kind: 'http', status: 500 },
      { kind: 'http', status: 500 },
    );
    await postSigned(events, formBody(slashCommand('digest', 'U1', slack.responseUrl())), form);
    await postSigned(
      events,
      JSON.stringify(eventCallback(reactionEvent('added', '+1', 'U2', '1760000000.000100'))),
    );
    await postSigned(events, '{"type":"event_callback", broken', { secret: 'f'.repeat(32) });
    await expect.poll(() => slack.responses.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // The run logged at every level, failures included, so there was something to leak.
    expect(logs).toMatch(/"level":50/);
    expect(logs).toMatch(/"level":(10|20)/);
    for (const secret of [botToken, SIGNING_SECRET, password, botToken.slice(5)]) {
      expect(logs.includes(secret), `a log line contains ${secret.slice(0, 8)}…`).toBe(false);
    }
  });
});
