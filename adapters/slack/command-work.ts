import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import PQueue from 'p-queue';

export interface CommandWorkOptions {
  /** Commands worked on at once while the event loop keeps up. */
  concurrency: number;
  /** Event-loop delay above which only one command is worked on at a time (default 50 ms). */
  lagMs?: number;
  /** How often the delay is looked at (default 200 ms). */
  sampleMs?: number;
  onError(err: unknown): void;
}

/**
 * The work of commands after their ack, a few at a time, and one at a time while the event loop lags or
 * after a quiet spell.
 * Acks are answered on the same event loop: with an embedded database every query runs on it, and several
 * searches in flight chain their queries back to back, so a request waiting for its ack is not even read
 * until all of them pause. Working on one command at a time bounds that wait to one command's stretch;
 * each command also starts on a fresh turn of the loop, so requests that arrived meanwhile go first.
 */
export class CommandWork {
  private readonly queue: PQueue;
  /**
   * Work that mostly waits on Slack and does little on the loop (a Home tab published): not held behind
   * the commands' slow start, and several at a time.
   */
  private readonly light = new PQueue({ concurrency: 8 });
  private readonly delay: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: CommandWorkOptions) {
    // Slow start: one at a time until the loop has shown it keeps up.
    this.queue = new PQueue({ concurrency: 1 });
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
    this.timer = setInterval(() => this.adjust(), options.sampleMs ?? 200);
    this.timer.unref();
  }

  /** How many commands may be worked on at once right now. */
  get concurrency(): number {
    return this.queue.concurrency;
  }

  add(work: () => Promise<void>): void {
    void this.queue.add(async () => {
      await nextTurn();
      await work().catch((err: unknown) => this.options.onError(err));
    });
  }

  /** Light work (see `light`), a few at a time beside the commands. */
  addLight(work: () => Promise<void>): void {
    void this.light.add(async () => {
      await work().catch((err: unknown) => this.options.onError(err));
    });
  }

  /** Resolves once everything added so far has run. */
  async idle(): Promise<void> {
    await Promise.all([this.queue.onIdle(), this.light.onIdle()]);
  }

  close(): void {
    clearInterval(this.timer);
    this.delay.disable();
  }

  /**
   * One at a time after an interval in which the loop lagged, and whenever nothing is waiting (a burst
   * then starts slowly); one more per interval that kept up while commands wait.
   */
  private adjust(): void {
    const worstMs = this.delay.max / 1e6;
    this.delay.reset();
    const lagging = worstMs > (this.options.lagMs ?? 50);
    const waiting = this.queue.size > 0;
    const next =
      lagging || (!waiting && this.queue.pending === 0)
        ? 1
        : waiting
          ? Math.min(this.options.concurrency, this.queue.concurrency + 1)
          : this.queue.concurrency;
    if (next !== this.queue.concurrency) this.queue.concurrency = next;
  }
}
