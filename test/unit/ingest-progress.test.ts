import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IngestUnit } from '../../src/domain/ports.js';
import { createProgress, formatSummary } from '../../src/ingest/progress.js';
import type { UnitOutcome } from '../../src/ingest/run-units.js';

const ESC = '\x1b';

/** A terminal: what is written to it, and the screen that results (lines wrap at the last column). */
class FakeTerminal {
  readonly isTTY = true;
  readonly chunks: string[] = [];
  readonly rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  private saved = { row: 0, col: 0 };

  constructor(readonly columns: number) {}

  write(chunk: string | Uint8Array, callback?: () => void): boolean {
    const text = String(chunk);
    this.chunks.push(text);
    this.interpret(text);
    callback?.();
    return true;
  }

  get output(): string {
    return this.chunks.join('');
  }

  /** The screen, one string per row, trailing blanks dropped. */
  get screen(): string[] {
    return this.rows.map((r) => r.join('').trimEnd());
  }

  /** Every line the bar drew, as it reads without escape codes. */
  get barLines(): string[] {
    return this.output
      .replaceAll(`${ESC}[1G`, '\r')
      .replace(new RegExp(`${ESC}(\\[[?0-9;]*[A-Za-z]|[78])`, 'g'), '')
      .split(/[\r\n]/)
      .filter((line) => /[█░]/.test(line));
  }

  private interpret(text: string): void {
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i] as string;
      if (ch === ESC) {
        const next = text[i + 1];
        if (next === '7') this.saved = { row: this.row, col: this.col };
        if (next === '8') ({ row: this.row, col: this.col } = this.saved);
        if (next === '[') {
          const m = /^\[([?0-9;]*)([A-Za-z])/.exec(text.slice(i + 1));
          if (!m) throw new Error(`unknown escape in ${JSON.stringify(text)}`);
          this.csi(m[1] ?? '', m[2] ?? '');
          i += m[0].length;
        } else {
          i += 1;
        }
      } else if (ch === '\r') {
        this.col = 0;
      } else if (ch === '\n') {
        // A terminal's output processing turns a newline into carriage return and line feed.
        this.moveTo(this.row + 1, 0);
      } else {
        if (this.col >= this.columns) this.moveTo(this.row + 1, 0);
        this.line()[this.col] = ch;
        this.col += 1;
      }
    }
  }

  private csi(params: string, command: string): void {
    if (params.startsWith('?')) return;
    const n = Number(params || 0);
    if (command === 'G') this.col = Math.max(0, (n || 1) - 1);
    else if (command === 'K') {
      const line = this.line();
      if (n === 0) line.length = Math.min(line.length, this.col);
      else if (n === 1) line.fill(' ', 0, this.col + 1);
      else line.length = 0;
    } else throw new Error(`unexpected escape ${params}${command}`);
  }

  private moveTo(row: number, col: number): void {
    this.row = row;
    this.col = col;
    while (this.rows.length <= row) this.rows.push([]);
  }

  private line(): string[] {
    return this.rows[this.row] as string[];
  }
}

const unit = (n: number, label = `arXiv cs.CL 2025-${String(n).padStart(2, '0')}`): IngestUnit => ({
  key: `arxiv:cs.CL:2025-${n}`,
  label,
  lastDay: '2025-01-31',
  params: {},
});

const done = (u: IngestUnit, n: number): UnitOutcome => ({
  unit: u,
  status: 'done',
  counts: { new: 100 + n, updated: 20, unchanged: 3000 },
  skipped: 2,
});

const LONG_REASON =
  'http://export.arxiv.org/api/query?search_query=cat%3Acs.CL+AND+submittedDate%3A%5B202505010000+TO+202505312359%5D&sortBy=submittedDate&sortOrder=descending&start=0&max_results=1000 failed: 503 Service Unavailable';

describe('the progress bar on a terminal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Runs twelve units through the bar, some time apart so that it redraws, and prints a summary after. */
  function run(terminal: FakeTerminal, outcomes: UnitOutcome[]): void {
    const progress = createProgress(terminal as unknown as NodeJS.WriteStream, outcomes.length);
    outcomes.forEach((outcome, index) => {
      vi.advanceTimersByTime(250);
      progress.onUnit(outcome, index, outcomes.length);
      vi.advanceTimersByTime(250);
    });
    progress.stop();
  }

  it.each([150, 60, 40])('keeps every line of the bar within a %i-column terminal', (columns) => {
    const terminal = new FakeTerminal(columns);
    const outcomes = Array.from({ length: 12 }, (_, i) => done(unit(i + 1), i));
    outcomes[4] = { unit: unit(5), status: 'failed', reason: LONG_REASON };
    run(terminal, outcomes);

    expect(terminal.barLines.length).toBeGreaterThan(3);
    for (const line of terminal.barLines) expect(Array.from(line).length).toBeLessThanOrEqual(columns);
    // The bar was drawn on one line each time, never wrapping onto a second one.
    const barRows = terminal.screen.filter((row) => /[█░]/.test(row));
    expect(barRows).toHaveLength(1);
    expect(barRows[0]).toMatch(/^█+ 12\/12 units · arXiv cs\.CL/);
  });

  it('ends its line when it stops, so the summary printed next starts on a line of its own', () => {
    const terminal = new FakeTerminal(150);
    const outcomes = Array.from({ length: 12 }, (_, i) => done(unit(i + 1), i));
    outcomes[4] = { unit: unit(5), status: 'failed', reason: LONG_REASON };
    outcomes[8] = { unit: unit(9), status: 'failed', reason: 'arXiv answered an empty page at 1000 of 2400' };
    run(terminal, outcomes);
    expect(terminal.output.endsWith('\n')).toBe(true);

    const summary = formatSummary({
      source: 'arxiv',
      counts: { new: 1000, updated: 0, unchanged: 0 },
      alreadyDone: 0,
      skippedItems: new Map(),
      failed: [],
      requests: 10,
    });
    terminal.write(summary.map((line) => `${line}\n`).join(''));

    const screen = terminal.screen.join('\n');
    // Both failures stay readable in full, the bar keeps its last state, and the summary follows it.
    expect(screen).toContain(`arXiv cs.CL 2025-05: failed: ${LONG_REASON.slice(0, 100)}`);
    expect(screen.replaceAll('\n', '')).toContain(`arXiv cs.CL 2025-05: failed: ${LONG_REASON}`);
    expect(screen).toContain('arXiv cs.CL 2025-09: failed: arXiv answered an empty page at 1000 of 2400');
    const rows = terminal.screen.filter((row) => row !== '');
    expect(rows.slice(-3)).toEqual([
      expect.stringMatching(/^█+ 12\/12 units · arXiv cs\.CL 2025-12 111 new/),
      '1000 new, 0 updated, 0 unchanged, 0 skipped, 0 failed.',
      '10 requests to arXiv, 100 papers per request.',
    ]);
  });

  it('writes one plain line per unit when the output is no terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, 2);
    progress.onUnit(done(unit(1), 0), 0, 2);
    progress.onUnit({ unit: unit(2), status: 'already-done' }, 1, 2);
    progress.stop();
    expect(lines).toEqual([
      '[1/2] arXiv cs.CL 2025-01: 100 new, 20 updated, 3000 unchanged, 2 skipped\n',
      '[2/2] arXiv cs.CL 2025-02: already ingested, skipped\n',
    ]);
  });
});

describe('the closing lines of a run', () => {
  const summary = (requests: number | undefined, source: 'hf' | 'arxiv' = 'arxiv') => ({
    source,
    counts: { new: 400, updated: 80, unchanged: 20 },
    alreadyDone: 0,
    skippedItems: new Map<string, number>(),
    failed: [],
    ...(requests === undefined ? {} : { requests }),
  });

  it('says how many requests went to the upstream and how many papers each brought', () => {
    expect(formatSummary(summary(12)).at(-1)).toBe('12 requests to arXiv, 41.7 papers per request.');
    expect(formatSummary(summary(1)).at(-1)).toBe('1 request to arXiv, 500 papers per request.');
  });

  it('leaves the request count out for a source that does not count them', () => {
    expect(formatSummary(summary(undefined, 'hf'))).toEqual([
      '400 new, 80 updated, 20 unchanged, 0 skipped, 0 failed.',
    ]);
  });
});
