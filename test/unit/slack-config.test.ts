import { describe, expect, it } from 'vitest';
import { slackManifest } from '../../adapters/slack/manifest.js';
import { commandTable } from '../../src/commands/table.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const problems = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('configuration was accepted');
};

describe('Slack settings', () => {
  it('accepts Socket Mode and HTTP mode setups', () => {
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A1-2-def' });
    expect(socket.SLACK_APP_TOKEN).toBe('xapp-1-A1-2-def');
    const http = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: '6d0c9f1a2b3e4d5f60718293a4b5c6d7',
      SLACK_ADMIN_USERS: 'U024BE7LH, W0123ABC',
    });
    expect(http.SLACK_ADMIN_USERS).toEqual(['U024BE7LH', 'W0123ABC']);
  });

  it('names a malformed token and the shape it should have, without printing it', () => {
    const message = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-oops', SLACK_APP_TOKEN: 'xoxb-wrong-kind' });
    expect(message).toMatch(/SLACK_BOT_TOKEN: must look like .*xoxb-…/);
    expect(message).toMatch(/SLACK_APP_TOKEN: must look like .*xapp-…/);
    expect(message).not.toContain('oops');
    expect(message).not.toContain('wrong-kind');
  });

  it('says what is missing when only half of a Slack setup is given', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toMatch(
      /SLACK_APP_TOKEN: or SLACK_SIGNING_SECRET is needed/,
    );
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1-A1-2-def' })).toMatch(
      /SLACK_BOT_TOKEN: is needed for Slack.*xoxb-/,
    );
  });

  it('refuses admin lists that are not Slack user ids', () => {
    expect(
      problems({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_APP_TOKEN: 'xapp-1',
        SLACK_ADMIN_USERS: 'U024BE7LH,@alice',
      }),
    ).toMatch(/SLACK_ADMIN_USERS: .*"@alice" is not one/);
  });
});

describe('Slack app manifest', () => {
  it('turns Socket Mode on and subscribes to every event the adapter handles', () => {
    const manifest = slackManifest({ commands: commandTable }) as {
      features: { slash_commands: { command: string; url?: string }[] };
      oauth_config: { scopes: { bot: string[] } };
      settings: {
        socket_mode_enabled: boolean;
        event_subscriptions: { bot_events: string[]; request_url?: string };
      };
    };
    expect(manifest.features.slash_commands[0]?.command).toBe('/papers');
    expect(manifest.features.slash_commands[0]?.url).toBeUndefined();
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['reaction_added', 'reaction_removed', 'message.channels', 'app_mention']),
    );
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'reactions:read', 'channels:history', 'users:read']),
    );
  });

  it('points commands, events and buttons at the request URL in HTTP mode', () => {
    const url = 'https://papers.example.org/slack/events';
    const json = JSON.stringify(slackManifest({ commands: commandTable, requestUrl: url }));
    expect(json.split(url).length - 1).toBe(3);
    expect(json).toContain('"socket_mode_enabled":false');
  });
});
