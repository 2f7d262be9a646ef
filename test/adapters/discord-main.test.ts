import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningBot, startBot } from '../../src/main.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { PAPERS_COMMAND, readableText } from './discord-harness.js';

describe('papers start with Discord settings', () => {
  let fake: FakeDiscord;
  let running: RunningBot | undefined;
  let database: TestDatabase;

  afterEach(async () => {
    await running?.stop();
    await database.destroy();
    await fake.close();
  });

  it('runs the Discord door instead of the console and answers a search over the sample papers', async () => {
    fake = await new FakeDiscord().start();
    database = await createTestDatabase();
    running = await startBot({
      config: loadConfig({
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        DISCORD_TOKEN: 'fake-token',
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      }),
    });
    expect(running.adapters.map((a) => a.platform)).toEqual(['discord']);

    const id = fake.snowflake();
    fake.dispatch('INTERACTION_CREATE', {
      id,
      token: `token-${id}`,
      application_id: fake.applicationId,
      type: 2,
      version: 1,
      guild_id: fake.guildId,
      channel_id: fake.textChannelId,
      channel: fake.channels.get(fake.textChannelId),
      member: {
        user: { id: fake.snowflake(), username: 'ada', discriminator: '0', global_name: null, avatar: null },
        roles: [],
        permissions: '3072',
        joined_at: new Date().toISOString(),
      },
      app_permissions: fake.botPermissions.toString(),
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': fake.guildId },
      context: 0,
      data: {
        id: fake.snowflake(),
        name: PAPERS_COMMAND.name,
        type: 1,
        options: [
          { type: 1, name: 'search', options: [{ type: 3, name: 'query', value: 'sparse attention' }] },
        ],
      },
    });
    const answer = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(`token-${id}`), {
      timeoutMs: 20_000,
    });
    expect(readableText(answer.body)).toContain('MiniMax Sparse Attention');
  });
});
