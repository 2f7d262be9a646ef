import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, parseDays, parseTime } from '../../src/core/commands.js';
import { UserError } from '../../src/domain/errors.js';

describe('command parser', () => {
  it('parses every command of the grammar', () => {
    expect(parseCommand('')).toEqual({ name: 'help' });
    expect(parseCommand('  SEARCH  kv cache ')).toEqual({ name: 'search', query: 'kv cache' });
    expect(parseCommand('top')).toEqual({ name: 'top', period: 'week' });
    expect(parseCommand('top ALL')).toEqual({ name: 'top', period: 'all' });
    expect(parseCommand('digest')).toEqual({ name: 'digest' });
    expect(parseCommand('digest off')).toEqual({ name: 'digest-enabled', enabled: false });
    expect(parseCommand('digest empty-note on')).toEqual({ name: 'empty-note', enabled: true });
    expect(parseCommand('schedule 9:05 Asia/Kolkata daily')).toEqual({
      name: 'schedule',
      time: '09:05',
      timezone: 'Asia/Kolkata',
      days: [0, 1, 2, 3, 4, 5, 6],
    });
    expect(parseCommand('schedule 18:00')).toEqual({ name: 'schedule', time: '18:00' });
    expect(parseCommand('size 8')).toEqual({ name: 'size', size: 8 });
    expect(parseCommand('follow Graph Neural  Networks')).toEqual({
      name: 'follow',
      term: 'graph neural networks',
    });
    expect(parseCommand('unmute cat:stat.ml')).toEqual({ name: 'unmute', term: 'cat:stat.ML' });
    expect(parseCommand('share https://arxiv.org/abs/2401.12345')).toEqual({
      name: 'share',
      target: 'https://arxiv.org/abs/2401.12345',
    });
    expect(parseCommand('pick')).toEqual({ name: 'pick' });
    expect(parseCommand('pick Friday 3pm')).toEqual({ name: 'pick-schedule', day: 5, time: '15:00' });
    expect(parseCommand('pick off')).toEqual({ name: 'pick-enabled', enabled: false });
    expect(parseCommand('discussed 2401.12345')).toEqual({ name: 'discussed', paper: '2401.12345' });
    expect(parseCommand('history')).toEqual({ name: 'history' });
    expect(parseCommand('recap off')).toEqual({ name: 'recap-enabled', enabled: false });
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

  it('answers an unknown command with the usage', () => {
    expect(() => parseCommand('frobnicate')).toThrow(/I don't know "\/papers frobnicate"\.\nUsage:/);
  });

  it('parses any text or rejects it with a message for the user, never anything else', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('', 'search ', 'schedule ', 'size ', 'pick ', 'follow ', 'top ', 'digest '),
        (text, prefix) => {
          try {
            const command = parseCommand(prefix + text);
            expect(typeof command.name).toBe('string');
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
