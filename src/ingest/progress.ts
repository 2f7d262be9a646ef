import cliProgress from 'cli-progress';
import type { IngestSummary, UnitOutcome } from './run-units.js';

/** Reports each unit of a run: a progress bar on a terminal, one plain line each otherwise (logs, CI). */
export interface ProgressReporter {
  onUnit(outcome: UnitOutcome, index: number, total: number): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream, total: number): ProgressReporter {
  if (stream.isTTY && total > 1) {
    const bar = new cliProgress.SingleBar(
      { stream, format: '{bar} {value}/{total} units · {unit}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { unit: '' });
    return {
      onUnit: (outcome, index) => {
        if (outcome.status === 'failed') stream.write(`\n${outcome.unit.label}: failed: ${outcome.reason}\n`);
        bar.update(index + 1, { unit: `${outcome.unit.label} ${describeOutcome(outcome)}` });
      },
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

/** The closing lines of a run: every count, skipped items by reason, failed units with why. */
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
  return lines;
}
