import { rateLimitWaits } from '../ops/metrics.js';

/**
 * Spaces messages to one channel at least `intervalMs` apart (Slack allows about one a second per
 * channel), while different channels go at full speed. Sends to one channel run one after another, and
 * the interval counts from the moment the previous send began.
 */
export class ChannelPacer {
  private readonly lastSend = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs `send` once the channel's previous message is far enough behind. */
  async run<T>(channelKey: string, send: () => Promise<T>): Promise<T> {
    if (this.intervalMs <= 0) return send();
    const previous = this.queues.get(channelKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const queued = previous.then(() => mine);
    this.queues.set(channelKey, queued);
    await previous;
    try {
      const wait = (this.lastSend.get(channelKey) ?? Number.NEGATIVE_INFINITY) + this.intervalMs - this.now();
      if (wait > 0) {
        rateLimitWaits.inc({ target: 'chat' });
        await this.sleep(wait);
      }
      this.lastSend.set(channelKey, this.now());
      return await send();
    } finally {
      release();
      if (this.queues.get(channelKey) === queued) {
        this.queues.delete(channelKey);
        this.forgetOld();
      }
    }
  }

  /** Keeps memory bounded: channels quiet for longer than the interval need no record. */
  private forgetOld(): void {
    if (this.lastSend.size < 10_000) return;
    const horizon = this.now() - this.intervalMs;
    for (const [key, at] of this.lastSend)
      if (at < horizon && !this.queues.has(key)) this.lastSend.delete(key);
  }
}

const pacers = new WeakMap<object, ChannelPacer>();

/** One pacer per adapter, shared by everything that posts through it. */
export function pacerFor(adapter: { minPostIntervalMs: number }): ChannelPacer {
  let pacer = pacers.get(adapter);
  if (!pacer) {
    pacer = new ChannelPacer(adapter.minPostIntervalMs);
    pacers.set(adapter, pacer);
  }
  return pacer;
}

/** Runs a send through the pacer when there is one. */
export function paced<T>(
  pacer: ChannelPacer | undefined,
  channelKey: string,
  send: () => Promise<T>,
): Promise<T> {
  return pacer ? pacer.run(channelKey, send) : send();
}
