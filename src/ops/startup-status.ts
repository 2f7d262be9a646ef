import type { Writable } from 'node:stream';

/** A stream that may be a terminal, as process.stderr is. */
type StatusStream = Writable & { isTTY?: boolean; columns?: number };

/**
 * What a start that takes a moment is doing, on one line of a terminal that each step rewrites and `clear`
 * removes, so that what the bot prints next starts on a clean line. On anything but a terminal (a pipe, a
 * log file, a test) it writes nothing.
 */
export class StartupStatus {
  private showing = false;

  /** `null`: shows nothing. */
  constructor(private readonly out: StatusStream | null = process.stderr) {}

  /** Replaces the line with `text`. */
  show(text: string): void {
    if (this.out?.isTTY !== true) return;
    // Cut to the terminal's width (unknown: 80): a line that wrapped could not be rewritten in place.
    const width = Math.max(10, (this.out.columns || 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.out.write(`\r${line}\x1b[K`);
    this.showing = true;
  }

  /** Removes the line. */
  clear(): void {
    if (!this.showing) return;
    this.out?.write('\r\x1b[K');
    this.showing = false;
  }
}
