import { setTimeout as sleep } from 'node:timers/promises';

export interface PacerOptions {
  /** Least time between the starts of two sends to the same key (Slack: about one message a second). */
  intervalMs: number;
  /** How long the platform asks us to wait after `err`, in ms; undefined when it is not a rate limit. */
  retryAfterMs(err: unknown): number | undefined;
  /** Rate-limit waits allowed for one send before its error is passed on. */
  maxRateLimitWaits?: number;
  /** Told each time a send waits for a rate limit. */
  onRateLimited?(key: string, waitMs: number): void;
  /** Told each time a send waits for its turn in the channel. */
  onPaced?(key: string, waitMs: number): void;
}

/**
 * Sends to one channel one at a time and no faster than the interval; a send that hits a rate limit
 * waits as long as asked and is tried again, holding back the sends behind it so order is kept.
 * Channels do not wait for each other. Platform-neutral: the caller says what a rate limit looks like.
 */
export class Pacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** One number per channel ever sent to: small next to the channels table itself. */
  private readonly nextStart = new Map<string, number>();

  constructor(private readonly options: PacerOptions) {}

  run<T>(key: string, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(
      () => this.sendPaced(key, send),
      () => this.sendPaced(key, send),
    );
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  private async sendPaced<T>(key: string, send: () => Promise<T>): Promise<T> {
    const maxWaits = this.options.maxRateLimitWaits ?? 5;
    for (let waits = 0; ; waits++) {
      const wait = (this.nextStart.get(key) ?? 0) - Date.now();
      if (wait > 0) {
        this.options.onPaced?.(key, wait);
        await sleep(wait);
      }
      this.nextStart.set(key, Date.now() + this.options.intervalMs);
      try {
        return await send();
      } catch (err) {
        const retryAfter = this.options.retryAfterMs(err);
        if (retryAfter === undefined || waits >= maxWaits) throw err;
        this.options.onRateLimited?.(key, retryAfter);
        this.nextStart.set(key, Date.now() + retryAfter);
      }
    }
  }
}
