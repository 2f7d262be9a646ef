import cliProgress from 'cli-progress';
import type { SourceName } from '../domain/ports.js';
import type { IngestSummary, UnitOutcome } from './run-units.js';

/** Reports each unit of a run: a progress bar on a terminal, one plain line each otherwise (logs, CI). */
export interface ProgressReporter {
  onUnit(outcome: UnitOutcome, index: number, total: number): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, total: number): ProgressReporter {
  if (stream.isTTY && total > 1) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: (options, params, payload: { unit?: string }) => barLine(options, params, payload.unit ?? ''),
        hideCursor: true,
        clearOnComplete: false,
        // Terminal line wrapping stays as it is: a failure reported between updates wraps like any text.
        linewrap: null,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { unit: '' });
    return {
      onUnit: (outcome, index) => {
        if (outcome.status === 'failed') {
          // The failure takes the bar's line and the bar moves below it. The bar goes back to the
          // position saved when it started before it ends its line, so that position moves along.
          stream.write(`\r\x1b[K${outcome.unit.label}: failed: ${outcome.reason}\n\x1b7`);
        }
        bar.update(index + 1, { unit: `${outcome.unit.label} ${describeOutcome(outcome)}` });
      },
      // Stopping draws the bar a last time and ends its line: what is printed next starts on its own.
      stop: () => bar.stop(),
    };
  }
  return {
    onUnit: (outcome, index, count) => {
      stream.write(`[${index + 1}/${count}] ${outcome.unit.label}: ${describeOutcome(outcome)}\n`);
    },
    stop: () => {},
  };
}

const BAR_WIDEST = 40;
const BAR_NARROWEST = 10;
/** Room the bar leaves for the unit's label before it shrinks. */
const LABEL_ROOM = 40;

/**
 * One line of the bar, as wide as the terminal at most: `████░░ 3/12 units · arXiv cs.CL 2026-03 …`. The
 * bar narrows on a narrow terminal and the label is cut to what is left. The last column stays free: a
 * line that fills it makes some terminals wrap.
 */
function barLine(options: cliProgress.Options, params: cliProgress.Params, unit: string): string {
  const width = Math.max(1, (params.maxWidth || 80) - 1);
  const counter = `${params.value}/${params.total} units`;
  const barSize = Math.min(
    BAR_WIDEST,
    Math.max(BAR_NARROWEST, width - counter.length - ' '.length - ' · '.length - LABEL_ROOM),
  );
  const filled = Math.round(params.progress * barSize);
  const bar =
    (options.barCompleteChar ?? '=').repeat(filled) +
    (options.barIncompleteChar ?? '-').repeat(barSize - filled);
  const label = unit.replace(/\s+/g, ' ').trim();
  return cut(label ? `${bar} ${counter} · ${label}` : `${bar} ${counter}`, width);
}

function cut(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

function describeOutcome(outcome: UnitOutcome): string {
  switch (outcome.status) {
    case 'already-done':
      return 'already ingested, skipped';
    case 'failed':
      return `failed: ${outcome.reason}`;
    case 'done': {
      const { counts, skipped } = outcome;
      return `${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged${skipped ? `, ${skipped} skipped` : ''}`;
    }
  }
}

const UPSTREAM: Record<SourceName, string> = { hf: 'Hugging Face', arxiv: 'arXiv', rss: 'arXiv' };

/**
 * The closing lines of a run: every count, skipped items by reason, failed units with why, and how many
 * requests the upstream was sent (for sources that count them).
 */
export function formatSummary(summary: IngestSummary): string[] {
  const skippedItems = [...summary.skippedItems.values()].reduce((a, b) => a + b, 0);
  const { counts } = summary;
  const lines = [
    `${counts.new} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${summary.alreadyDone + skippedItems} skipped, ${summary.failed.length} failed.`,
  ];
  if (summary.alreadyDone > 0) {
    lines.push(`  skipped ${summary.alreadyDone} already ingested by an earlier run`);
  }
  for (const [reason, n] of summary.skippedItems) lines.push(`  skipped ${n} unreadable: ${reason}`);
  for (const f of summary.failed) lines.push(`  failed ${f.unit}: ${f.reason}`);
  if (summary.requests !== undefined) lines.push(describeRequests(summary));
  return lines;
}

function describeRequests(summary: IngestSummary): string {
  const { requests = 0, counts } = summary;
  const sent = `${requests} ${requests === 1 ? 'request' : 'requests'} to ${UPSTREAM[summary.source]}`;
  if (requests === 0) return `${sent}.`;
  const papers = counts.new + counts.updated + counts.unchanged;
  const perRequest = Math.round((papers / requests) * 10) / 10;
  return `${sent}, ${perRequest} papers per request.`;
}
