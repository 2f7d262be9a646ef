import { describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../adapters/slack/index.js';
import { createLogger } from '../../src/log.js';
import { FakeSlackApi } from '../fakes/slack-api.js';

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
