import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startBot } from '../../src/main.js';
import { onServer } from '../helpers/db.js';

const ESC = '\x1b';

/** What the bot wrote, to its console and to its status stream, in the order it wrote it. */
type Written = { to: 'console' | 'status'; text: string }[];

function recorder(to: 'console' | 'status', written: Written, terminal: boolean) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written.push({ to, text: String(chunk) });
      done();
    },
  });
  return Object.assign(stream, { isTTY: terminal, columns: 100 });
}

/** `npm start` on the console with `lines` typed, its status on a terminal (or not); what it wrote. */
async function start(dataDir: string, lines: string[], terminal = true): Promise<Written> {
  const written: Written = [];
  const input = new PassThrough();
  const bot = await startBot({
    config: loadConfig({ DATABASE_URL: `pglite:${dataDir}`, LOG_LEVEL: 'silent', SCHEDULER: 'false' }),
    input,
    output: recorder('console', written, false),
    status: recorder('status', written, terminal),
    interactive: true,
  });
  input.end(`${lines.join('\n')}\n`);
  await bot.closed;
  await bot.stop();
  return written;
}

/** The status line's states, as a terminal shows them one after the other: '' once it is cleared. */
function statusLines(written: Written): string[] {
  return written
    .filter((w) => w.to === 'status')
    .map((w) => w.text)
    .join('')
    .split('\r')
    .slice(1)
    .map((s) => s.replaceAll(`${ESC}[K`, ''));
}

describe.skipIf(onServer)('the first start and a later one', { timeout: 120_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'papers-first-start-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('say on one line of the terminal what they are doing, and clear it before the console', async () => {
    const dataDir = join(dir, 'pglite');
    const first = await start(dataDir, ['/papers search sparse attention']);
    expect(statusLines(first)).toEqual([
      'Opening the database…',
      'Preparing the database… (first start)',
      'Loading 30 sample papers…',
      '',
    ]);
    // Cleared before the console printed anything, so the banner starts on a clean line.
    const firstConsole = first.findIndex((w) => w.to === 'console');
    expect(first.slice(firstConsole).some((w) => w.to === 'status')).toBe(false);
    const shown = first
      .filter((w) => w.to === 'console')
      .map((w) => w.text)
      .join('');
    expect(shown).toMatch(/^papers console — you are you in #papers\./);
    expect(shown).toContain('MiniMax Sparse Attention');

    const later = await start(dataDir, [':quit']);
    expect(statusLines(later)).toEqual(['Opening the database…', '']);
  });
});
