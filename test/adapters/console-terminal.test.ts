import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleAdapter, consoleHistoryFile, HISTORY_LINES } from '../../adapters/console/index.js';
import { parseDatabaseUrl } from '../../db/client.js';
import type { InboundHandlers } from '../../src/domain/ports.js';

const UP = '\x1b[A';
const ENTER = '\r';
/** Waits for what a user would see next; generous, for a busy machine. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5_000, interval: 10 });
const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const BACKSPACE = '\x7f';

/**
 * The lines a terminal shows for what was written to it: text, line feeds, carriage returns and the cursor
 * moves and erasures a line editor sends (CSI n A/B/C/D/G, K, J).
 */
function screenOf(written: string): string {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = () => {
    while (rows.length <= row) rows.push([]);
    return rows[row]!;
  };
  for (let i = 0; i < written.length; i++) {
    const ch = written[i]!;
    const csi = ch === '\x1b' ? /^\[(\d*)([A-Za-z])/.exec(written.slice(i + 1)) : null;
    if (csi) {
      i += csi[0].length;
      const n = csi[1] ? Number(csi[1]) : undefined;
      const cells = line();
      switch (csi[2]) {
        case 'A':
          row = Math.max(0, row - (n ?? 1));
          break;
        case 'B':
          row += n ?? 1;
          break;
        case 'C':
          col += n ?? 1;
          break;
        case 'D':
          col = Math.max(0, col - (n ?? 1));
          break;
        case 'G':
          col = (n ?? 1) - 1;
          break;
        case 'K':
          if (n === 2) cells.length = 0;
          else if (n === 1) cells.fill(' ', 0, col);
          else cells.length = Math.min(cells.length, col);
          break;
        case 'J':
          cells.length = Math.min(cells.length, col);
          rows.length = row + 1;
          break;
      }
    } else if (ch === '\n') {
      row++;
      col = 0;
      line();
    } else if (ch === '\r') {
      col = 0;
    } else {
      const cells = line();
      while (cells.length < col) cells.push(' ');
      cells[col++] = ch;
    }
  }
  return rows.map((cells) => cells.join('').trimEnd()).join('\n');
}

/** The console on a (fake) terminal: what it printed, the commands and chat messages it passed on. */
async function openConsole(options: { tty?: boolean; historyFile?: string } = {}) {
  const tty = options.tty ?? true;
  const input = Object.assign(new PassThrough(), tty ? { isTTY: true } : {});
  const output = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 100, rows: 30 } : {});
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const commands: string[] = [];
  const messages: string[] = [];
  const handlers: InboundHandlers = {
    async command({ input: typed, ref }) {
      const text = typed.kind === 'text' ? typed.text : '';
      commands.push(text);
      await ref.respond({ kind: 'text', text: `Ran /papers ${text}` }, { private: false });
    },
    async reaction() {},
    async message({ text }) {
      messages.push(text);
    },
  };
  const adapter = new ConsoleAdapter({
    input,
    output,
    interactive: true,
    ...(options.historyFile ? { historyFile: options.historyFile } : {}),
  });
  await adapter.start(handlers);
  return {
    adapter,
    commands,
    messages,
    /** Keys pressed one at a time, as a terminal sends them; a string of plain characters is one key each. */
    type: (...keys: string[]) => {
      for (const key of keys) for (const part of key.startsWith('\x1b') ? [key] : [...key]) input.write(part);
    },
    /** What the terminal shows. */
    screen: () => (tty ? screenOf(printed) : printed),
    close: async () => {
      input.end();
      await adapter.stop();
    },
  };
}

describe('console at a terminal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-console-tty-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the previous command again on ↑ and Enter, instead of posting the arrow key as a message', async () => {
    const terminal = await openConsole();
    terminal.type(`/papers top${ENTER}`);
    await until(() => expect(terminal.commands).toEqual(['top']));
    terminal.type(UP, ENTER);
    await until(() => expect(terminal.commands).toEqual(['top', 'top']));
    expect(terminal.messages).toEqual([]);
    expect(terminal.screen()).not.toContain('^[[A');
    expect(terminal.screen().match(/bot: Ran \/papers top/g)).toHaveLength(2);
    await terminal.close();
  });

  it('edits the line being typed: ← moves back, Backspace deletes', async () => {
    const terminal = await openConsole();
    // "/papers tpo", two steps left, delete the "t", type it back after the "p".
    terminal.type('/papers tpo', LEFT, LEFT, BACKSPACE, RIGHT, 't', ENTER);
    await until(() => expect(terminal.commands).toEqual(['pto']));
    await terminal.close();
  });

  it('keeps typed lines in the history file, which the next console reads back', async () => {
    const file = join(dir, 'data', 'console_history');
    const first = await openConsole({ historyFile: file });
    first.type(`/papers top${ENTER}`);
    await until(() => expect(first.commands).toEqual(['top']));
    first.type(`:as alice${ENTER}`);
    await until(() => expect(first.screen()).toContain('You are now alice.'));
    first.type(`:as alice${ENTER}`);
    await until(() => expect(first.screen().match(/You are now alice\./g)).toHaveLength(2));
    await first.close();
    // A line typed twice in a row is kept once, as ↑ shows it once.
    expect(await readFile(file, 'utf8')).toBe('/papers top\n:as alice\n');

    const second = await openConsole({ historyFile: file });
    second.type(UP, UP, ENTER);
    await until(() => expect(second.commands).toEqual(['top']));
    // ↑ now finds "/papers top" just typed, then ":as alice".
    second.type(UP, UP, ENTER);
    await until(() => expect(second.screen()).toContain('You are now alice.'));
    expect(second.messages).toEqual([]);
    await second.close();
    expect(await readFile(file, 'utf8')).toBe('/papers top\n:as alice\n/papers top\n:as alice\n');
  });

  it(`goes back ${HISTORY_LINES} lines, and cuts a long history file back to them`, async () => {
    const file = join(dir, 'console_history');
    const lines = Array.from({ length: 2 * HISTORY_LINES + 1 }, (_, i) => `/papers line ${i}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    const terminal = await openConsole({ historyFile: file });
    terminal.type(...Array<string>(HISTORY_LINES).fill(UP), ENTER);
    await until(() => expect(terminal.commands).toEqual([`line ${HISTORY_LINES + 1}`]));
    await terminal.close();
    const kept = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(kept).toHaveLength(HISTORY_LINES + 1);
    expect(kept[0]).toBe(`/papers line ${HISTORY_LINES + 1}`);
    expect(kept.at(-1)).toBe(`/papers line ${HISTORY_LINES + 1}`);
  });

  it('prints what the bot posts above the line being typed, and keeps that line', async () => {
    const terminal = await openConsole();
    terminal.type('hel');
    await until(() => expect(terminal.screen()).toMatch(/you@#papers> hel$/));
    await terminal.adapter.post(
      { platform: 'console', workspaceId: 'console', channelId: 'papers' },
      { kind: 'text', text: 'The digest is here.' },
    );
    await until(() =>
      expect(terminal.screen().split('\n').slice(-2)).toEqual([
        '[m1] #papers bot: The digest is here.',
        'you@#papers> hel',
      ]),
    );
    terminal.type('lo', ENTER);
    await until(() => expect(terminal.messages).toEqual(['hello']));
    await terminal.close();
  });

  it('ends on Ctrl+D at an empty line, as a shell does', async () => {
    const terminal = await openConsole();
    terminal.type('\x04');
    await terminal.adapter.closed;
    expect(terminal.screen().endsWith('you@#papers>\n')).toBe(true);
    await terminal.close();
  });

  it('keeps no history of input from a pipe, and reads it as before: an arrow key is text', async () => {
    const file = join(dir, 'console_history');
    const piped = await openConsole({ tty: false, historyFile: file });
    piped.type(`/papers top\n${UP}\n`);
    await until(() => expect(piped.messages).toHaveLength(1));
    expect(piped.commands).toEqual(['top']);
    await piped.close();
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('where the console keeps typed lines, by DATABASE_URL', () => {
  it('next to the PGlite folder, in ./.data for a Postgres server, nowhere for a database in memory', () => {
    const fileFor = (url: string | undefined) => consoleHistoryFile(parseDatabaseUrl(url));
    expect(fileFor(undefined)).toBe(join('.data', 'console_history'));
    expect(fileFor('pglite:/srv/papers/db')).toBe(join('/srv/papers', 'console_history'));
    expect(fileFor('postgres://papers@db:5432/papers')).toBe(join('.data', 'console_history'));
    expect(fileFor('memory://')).toBeUndefined();
  });
});
