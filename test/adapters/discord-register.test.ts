import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS, commandPayload, registerCommands } from '../../adapters/discord/commands.js';
import { commandTable } from '../../src/commands/table.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { FakeDiscord, type Json } from '../fakes/discord-server.js';

const run = promisify(execFile);

/** Runs the real CLI in a child process; resolves with its exit code and output. */
async function papers(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { PATH: process.env.PATH, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('Discord command registration', () => {
  let fake: FakeDiscord;

  beforeEach(async () => {
    fake = await new FakeDiscord().start();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('registers /papers for everyone and /papers-admin for Manage Channels, with typed options', async () => {
    await registerCommands({
      commands: commandTable,
      token: 't',
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      guildId: fake.guildId,
    });
    const [put] = fake.requests;
    expect(put?.method).toBe('PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    const [papersCommand, admin] = (put?.body ?? []) as Json[];
    expect(papersCommand).toMatchObject({ name: 'papers', default_member_permissions: null, contexts: [0] });
    expect(admin).toMatchObject({ name: 'papers-admin', default_member_permissions: '16' });
    const sub = (command: Json, name: string) => command.options.find((o: Json) => o.name === name);
    expect(papersCommand.options.every((o: Json) => o.type === 1)).toBe(true);
    expect(sub(papersCommand, 'search').options).toEqual([
      expect.objectContaining({ name: 'query', type: 3, required: true, max_length: 200 }),
    ]);
    expect(sub(papersCommand, 'top').options[0].choices.map((c: Json) => c.value)).toEqual([
      'week',
      'month',
      'all',
    ]);
    expect(sub(admin, 'size').options[0]).toMatchObject({
      type: 4,
      min_value: 1,
      max_value: 20,
      required: true,
    });
    expect(sub(admin, 'schedule').options[1]).toMatchObject({ name: 'timezone', autocomplete: true });
  });

  it('registers each command on the message menu as a message command, from the table', async () => {
    await registerCommands({
      commands: commandTable,
      token: 't',
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      guildId: fake.guildId,
    });
    const body = (fake.requests[0]?.body ?? []) as Json[];
    const menu = body.filter((c) => c.type === 3);
    const fromTable = commandTable.specs.flatMap((s) => (s.messageMenu ? [s.messageMenu.name] : []));
    expect(menu.map((c) => c.name)).toEqual(fromTable);
    // A message command has no description or options; Discord refuses one that has.
    expect(menu.find((c) => c.name === 'Share paper')).toEqual({
      name: 'Share paper',
      type: 3,
      contexts: [0],
      integration_types: [0],
      default_member_permissions: null,
    });
    expect(body.filter((c) => c.type === 1).map((c) => c.name)).toEqual(['papers', 'papers-admin']);
  });

  it('refuses a table with more message commands than Discord allows, before asking Discord', () => {
    const spec = commandTable.specs.find((s) => s.messageMenu)!;
    const six = Array.from({ length: 6 }, (_, i) => ({
      ...spec,
      id: `menu-${i}`,
      messageMenu: { name: `Menu ${i}`, description: 'x' },
    }));
    expect(() => commandPayload({ ...commandTable, specs: six })).toThrow(/5 message commands/);
    const long = { ...spec, messageMenu: { name: 'Share this paper with the whole team', description: 'x' } };
    expect(() => commandPayload({ ...commandTable, specs: [long] })).toThrow(/32 characters/);
  });

  it('registers globally without a guild', async () => {
    await registerCommands({
      commands: commandTable,
      token: 't',
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
    });
    expect(fake.requests[0]?.path).toBe(`/applications/${fake.applicationId}/commands`);
  });

  it('papers discord-register prints where it registered and the invite URL', async () => {
    const env = {
      DISCORD_TOKEN: 'fake-token',
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    };
    const { code, stdout } = await papers(['discord-register', '--guild', fake.guildId], env);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `Registered /papers, /papers-admin and “Share paper” on messages in server ${fake.guildId}`,
    );
    const invite = new URL(/https:\/\/discord\.com\S+/.exec(stdout)?.[0] ?? 'http://missing');
    expect(invite.searchParams.get('client_id')).toBe(fake.applicationId);
    expect(invite.searchParams.get('scope')).toBe('bot applications.commands');
    expect(invite.searchParams.get('permissions')).toBe(BOT_PERMISSIONS.toString());
    expect(fake.requests.map((r) => r.method)).toEqual(['PUT']);
  });

  it('names what is wrong: a missing variable, a bad server id, a rejected token', async () => {
    const base = { DISCORD_API_URL: fake.apiUrl };
    const noAppId = await papers(['discord-register'], { ...base, DISCORD_TOKEN: 'secret-token' });
    expect(noAppId.code).toBe(2);
    expect(noAppId.stderr).toContain('DISCORD_APPLICATION_ID: required with DISCORD_TOKEN');
    expect(noAppId.stderr).not.toContain('secret-token');

    const env = { ...base, DISCORD_TOKEN: 'secret-token', DISCORD_APPLICATION_ID: fake.applicationId };
    const badGuild = await papers(['discord-register', '--guild', 'general'], env);
    expect(badGuild.code).toBe(2);
    expect(badGuild.stderr).toContain('must be a server id');

    fake.failNext(() => true, { status: 401, body: { code: 0, message: '401: Unauthorized' } });
    const rejected = await papers(['discord-register'], env);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain('Discord rejected DISCORD_TOKEN');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('Discord configuration', () => {
  it('wants the token and the application id together, naming the one missing', () => {
    expect(() => loadConfig({ DISCORD_APPLICATION_ID: '1100000000000000001' })).toThrow(
      /DISCORD_TOKEN: required/,
    );
    expect(() => loadConfig({ DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: 'my-bot' })).toThrow(ConfigError);
    const config = loadConfig({ DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '1100000000000000001' });
    expect(config.DISCORD_LINK_SHARES).toBe(false);
  });
});
