import { describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot } from '../../src/main.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { formBody, postSigned, SIGNING_SECRET, slashCommand } from '../fakes/slack-requests.js';
import { createTestDatabase, onServer } from '../helpers/db.js';

describe('Slack start-up', () => {
  it('names SLACK_BOT_TOKEN when Slack refuses it', async () => {
    const api = await FakeSlackApi.start();
    api.fail('auth.test', { kind: 'error', error: 'invalid_auth' });
    const adapter = new SlackAdapter({
      botToken: 'xoxb-revoked',
      appToken: 'xapp-1-test',
      apiUrl: api.apiUrl,
      log: createLogger('silent'),
      retries: 0,
    });
    await expect(adapter.start({ command: async () => {}, reaction: async () => {} })).rejects.toThrow(
      /SLACK_BOT_TOKEN.*invalid_auth.*xoxb-/,
    );
    await api.close();
  });
});

describe('papers start with Slack settings', () => {
  it('serves Slack instead of the console, in HTTP mode on PORT', async () => {
    const api = await FakeSlackApi.start();
    // startBot migrates what it opens: on PGlite a fresh in-memory database is all it needs.
    const database = onServer ? await createTestDatabase() : undefined;
    const bot = await startBot({
      config: loadConfig({
        DATABASE_URL: database?.url ?? 'memory://',
        SAMPLE_PAPERS: 'false',
        LOG_LEVEL: 'silent',
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: api.apiUrl.replace(/\/$/, ''),
      }),
    });
    try {
      expect(bot.adapters.map((a) => a.platform)).toEqual(['slack']);
      const slack = bot.adapters[0] as SlackAdapter;
      const res = await postSigned(
        `http://127.0.0.1:${slack.port()}/slack/events`,
        formBody(slashCommand('help', 'U1', api.responseUrl())),
        { contentType: 'application/x-www-form-urlencoded' },
      );
      expect(res.status).toBe(200);
      await slack.idle();
      expect(String(api.responses.at(-1)?.body.text)).toContain('/papers search');
    } finally {
      await bot.stop();
      await database?.destroy();
      await api.close();
    }
  });
});
