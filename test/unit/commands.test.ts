import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandPayload, discordCommands } from '../../adapters/discord/commands.js';
import { slackManifest, USAGE_HINT_LIMIT, usageHint } from '../../adapters/slack/manifest.js';
import { parseDays, parseTime } from '../../src/commands/arguments.js';
import { COMMANDS, commandTable } from '../../src/commands/table.js';
import type { CommandInput } from '../../src/domain/commands.js';
import { UserError } from '../../src/domain/errors.js';

/** What `/papers <text>` reads as: the command's id and its arguments. */
function parse(text: string): { id: string; args: unknown } {
  const { spec, args } = commandTable.prepare({ kind: 'text', text });
  return { id: spec.id, args };
}

function options(admin: boolean, name: string, values: Record<string, string | number> = {}) {
  const { spec, args } = commandTable.prepare({ kind: 'options', admin, name, values });
  return { id: spec.id, args };
}

describe('command parser', () => {
  it('parses every command of the grammar', () => {
    expect(parse('')).toEqual({ id: 'help', args: { topic: undefined } });
    expect(parse('help Search')).toEqual({ id: 'help', args: { topic: 'search' } });
    expect(parse('  SEARCH  kv cache ')).toEqual({ id: 'search', args: { query: 'kv cache' } });
    expect(parse('s "kv  cache"')).toEqual({ id: 'search', args: { query: '"kv  cache"' } });
    expect(parse('top')).toEqual({ id: 'top', args: { period: 'week' } });
    expect(parse('top ALL')).toEqual({ id: 'top', args: { period: 'all' } });
    expect(parse('digest')).toEqual({ id: 'digest', args: {} });
    expect(parse('digest now')).toEqual({ id: 'digest', args: {} });
    expect(parse('digest off')).toEqual({ id: 'digest-enabled', args: { state: false } });
    expect(parse('digest empty-note on')).toEqual({ id: 'empty-note', args: { state: true } });
    expect(parse('empty-note off')).toEqual({ id: 'empty-note', args: { state: false } });
    expect(parse('schedule 9:05 Asia/Kolkata daily')).toEqual({
      id: 'schedule',
      args: { time: '09:05', timezone: 'Asia/Kolkata', days: [0, 1, 2, 3, 4, 5, 6] },
    });
    expect(parse('schedule 9:05 weekdays utc').args).toEqual({
      time: '09:05',
      timezone: 'UTC',
      days: [1, 2, 3, 4, 5],
    });
    expect(parse('schedule 18:00').args).toEqual({ time: '18:00', timezone: undefined, days: undefined });
    expect(parse('size 8')).toEqual({ id: 'size', args: { papers: 8 } });
    expect(parse('follow Graph Neural  Networks')).toEqual({
      id: 'follow',
      args: { topic: 'graph neural networks' },
    });
    expect(parse('unmute cat:stat.ml')).toEqual({ id: 'unmute', args: { topic: 'cat:stat.ML' } });
    expect(parse('share https://arxiv.org/abs/2401.12345')).toEqual({
      id: 'share',
      args: { paper: 'https://arxiv.org/abs/2401.12345' },
    });
    expect(parse('pick')).toEqual({ id: 'pick', args: {} });
    expect(parse('pick Friday 3pm')).toEqual({
      id: 'pick-schedule',
      args: { name: 'pick-schedule', day: 5, time: '15:00' },
    });
    expect(parse('pick off')).toEqual({
      id: 'pick-schedule',
      args: { name: 'pick-enabled', enabled: false },
    });
    expect(parse('discussed 2401.12345')).toEqual({ id: 'discussed', args: { paper: '2401.12345' } });
    expect(parse('discussed')).toEqual({ id: 'discussed', args: { paper: undefined } });
    expect(parse('history')).toEqual({ id: 'history', args: {} });
    expect(parse('recap off')).toEqual({ id: 'recap', args: { state: false } });
  });

  it('reads typed options to the same arguments as typed text', () => {
    expect(options(false, 'search', { query: 'kv cache' })).toEqual(parse('search kv cache'));
    expect(options(false, 'top', { period: 'month' })).toEqual(parse('top month'));
    expect(options(true, 'digest', { state: 'off' })).toEqual(parse('digest off'));
    expect(options(true, 'empty-note', { state: 'on' })).toEqual(parse('digest empty-note on'));
    expect(options(true, 'size', { papers: 8 })).toEqual(parse('size 8'));
    expect(options(true, 'schedule', { time: '9:05', timezone: 'Asia/Kolkata', days: 'daily' })).toEqual(
      parse('schedule 9:05 daily Asia/Kolkata'),
    );
    expect(options(true, 'pick', { day: 'fri', time: '15:00' })).toEqual(parse('pick fri 15:00'));
    expect(options(false, 'help')).toEqual(parse('help'));
  });

  it('says what was wrong, and what would work, for bad arguments', () => {
    const problem = (input: string | CommandInput) => {
      try {
        commandTable.prepare(typeof input === 'string' ? { kind: 'text', text: input } : input);
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        return (err as Error).message;
      }
      return expect.unreachable(`${JSON.stringify(input)} was accepted`);
    };
    expect(problem('frobnicate')).toMatch(/^I don't know "\/papers frobnicate"\.\nUsage:/);
    expect(problem('search')).toMatch(/What should I search for\? Try `\/papers search/);
    expect(problem('top year')).toBe('"year" is not a period. Try `/papers top week`, `month` or `all`.');
    expect(problem('digest maybe')).toBe(
      'Say on or off, e.g. `/papers digest on` (got "maybe").\nAlso: `/papers digest`, `/papers digest empty-note on|off`.',
    );
    expect(problem('schedule 09:30 mon,wed weekdays')).toMatch(/Give the days once/);
    expect(problem('size 50')).toMatch(/whole number from 1 to 20 \(got "50"\)/);
    expect(problem('size 8 9')).toMatch(/`\/papers size` takes 1-20: I did not understand "9"/);
    expect(problem('settings please')).toMatch(/`\/papers settings` takes nothing more/);
    expect(problem('schedule 25:00')).toMatch(/"25:00" is not a time of day/);
    expect(problem('schedule 09:00 Europe/Berlin Asia/Tokyo')).toMatch(/I did not understand "Asia\/Tokyo"/);
    expect(problem('pick someday 15:00')).toMatch(
      /"someday 15:00" is not an arXiv id or paper link[\s\S]*Also: `\/papers pick fri 15:00/,
    );
    expect(problem('pick 25:00 fri')).toMatch(/not an arXiv id/);
    expect(problem('session 25:00')).toMatch(/"25:00" is not a day/);
    expect(problem('session fri 25:00')).toMatch(/"25:00" is not a time of day.*\/papers session fri 15:00/);
    expect(problem('session fri 15:00 Mars/Olympus')).toMatch(/"Mars\/Olympus" is not a timezone/);
    expect(problem('session where htp:/meet')).toMatch(/"htp:\/meet" is not a link I can use/);
    expect(problem('presenters juggle @ada')).toMatch(/"juggle" is not something I can do with presenters/);
    expect(problem('vote 4')).toMatch(/by its number, 1 to 3/);
    expect(problem('rsvp maybe')).toMatch(/rsvp going.*rsvp no.*"maybe"/);
    expect(problem('undiscussed')).toMatch(/^Which paper\?/);
    expect(problem('follow')).toMatch(/^Follow what\?/);
    expect(problem({ kind: 'options', admin: true, name: 'size', values: { papers: 99 } })).toBe(
      '`papers` must be a whole number from 1 to 20 (got 99).',
    );
    expect(
      problem({ kind: 'options', admin: true, name: 'schedule', values: { time: '9:00', days: 'x' } }),
    ).toMatch(/"x" is not a list of days/);
    expect(problem({ kind: 'options', admin: false, name: 'frobnicate', values: {} })).toMatch(
      /^I don't know "\/papers frobnicate"/,
    );
  });

  it('reads times and days the way people write them', () => {
    expect(['09:30', '9:30', '9am', '12am', '12pm', '11:59pm'].map(parseTime)).toEqual([
      '09:30',
      '09:30',
      '09:00',
      '00:00',
      '12:00',
      '23:59',
    ]);
    for (const bad of ['25:00', '9', '13pm', '09:60', 'noon', ''])
      expect(() => parseTime(bad)).toThrow(UserError);
    expect(parseDays('weekdays')).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays('fri,mon,wednesday')).toEqual([1, 3, 5]);
    expect(parseDays('Europe/Berlin')).toBeNull();
  });

  it('gives help on one command, with its examples', () => {
    expect(commandTable.helpOn('schedule')).toMatch(
      /^\/papers schedule .*\(admins\)\n {2}e\.g\. \/papers schedule 09:30/,
    );
    expect(
      commandTable
        .helpOn('pick')
        ?.split('\n')
        .filter((l) => l.startsWith('/papers pick')),
    ).toHaveLength(2);
    expect(commandTable.helpOn('frobnicate')).toBeUndefined();
  });

  it('chooses who sees the answer from the table, before the command runs', () => {
    const visibility = (text: string) => commandTable.visibility({ kind: 'text', text });
    expect(visibility('search kv cache')).toBe('private');
    expect(visibility('top')).toBe('public');
    expect(visibility('pick')).toBe('public');
    expect(visibility('digest')).toBe('private');
    expect(visibility('digest off')).toBe('public');
    expect(visibility('frobnicate')).toBe('private');
    expect(commandTable.visibility({ kind: 'options', admin: true, name: 'size', values: {} })).toBe(
      'public',
    );
  });

  it('parses any text or rejects it with a message for the user, never anything else', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('', 'search ', 'schedule ', 'size ', 'pick ', 'follow ', 'top ', 'digest '),
        (text, prefix) => {
          try {
            expect(typeof parse(prefix + text).id).toBe('string');
          } catch (err) {
            expect(err).toBeInstanceOf(UserError);
            expect((err as Error).message.length).toBeGreaterThan(10);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the command table', () => {
  const rows = COMMANDS.map((c) => c.spec);
  const words = (spec: { words: readonly string[] }) => spec.words.join(' ');

  it('is what help lists, one line per command, everyone first and then the admins', () => {
    const lines = commandTable.usage().split('\n');
    const listed = lines.filter((l) => l.startsWith('  /papers '));
    expect(listed).toHaveLength(rows.length);
    const admins = lines.indexOf('Admins:');
    rows.forEach((spec, i) => {
      const line = listed[i]!;
      expect(line.startsWith(`  /papers ${[words(spec), spec.usage].filter(Boolean).join(' ')} `)).toBe(true);
      expect(line.endsWith(spec.help)).toBe(true);
      expect(lines.indexOf(line) > admins).toBe(spec.admin);
    });
  });

  it('is what Discord registers: /papers for everyone, /papers-admin for admins, with typed options', () => {
    const [papers, admin] = commandPayload(commandTable) as {
      name: string;
      default_member_permissions: string | null;
      options: { name: string; description: string; options: { name: string; required: boolean }[] }[];
    }[];
    expect(papers?.name).toBe('papers');
    expect(papers?.default_member_permissions).toBeNull();
    expect(admin?.name).toBe('papers-admin');
    expect(admin?.default_member_permissions).toBe('16');
    const registered = [
      ...(papers?.options ?? []).map((o) => ({ admin: false, ...o })),
      ...(admin?.options ?? []).map((o) => ({ admin: true, ...o })),
    ];
    expect(registered).toHaveLength(rows.length);
    for (const spec of rows) {
      const sub = registered.find((o) => o.admin === spec.admin && o.name === spec.words.at(-1));
      expect(sub, spec.id).toBeDefined();
      expect(sub?.description).toBe(spec.summary);
      expect(sub?.options.map((o) => [o.name, o.required])).toEqual(
        spec.options.map((o) => [o.name, o.required ?? false]),
      );
    }
    expect(discordCommands(commandTable).flatMap((c) => c.subcommands)).toHaveLength(rows.length);
  });

  it('is what the Slack manifest hints: every command by its words, within Slack’s limit', () => {
    const hint = usageHint(commandTable);
    const manifest = slackManifest({ commands: commandTable }) as {
      features: { slash_commands: { usage_hint: string }[] };
    };
    expect(manifest.features.slash_commands[0]?.usage_hint).toBe(hint);
    expect(hint.length).toBeLessThanOrEqual(USAGE_HINT_LIMIT);
    const [everyone = '', admins = ''] = hint.split(' | admins: ');
    expect(everyone.split(' | ')).toEqual(
      rows.filter((s) => !s.admin).map((s) => [words(s), s.usage].filter(Boolean).join(' ')),
    );
    expect(admins.split(', ')).toEqual([...new Set(rows.filter((s) => s.admin).map(words))]);
  });

  it('gives each command examples that parse to it', () => {
    for (const spec of rows) {
      expect(spec.examples.length, spec.id).toBeGreaterThan(0);
      for (const example of spec.examples) expect(parse(example).id, example).toBe(spec.id);
    }
  });
});
