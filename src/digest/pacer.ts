/**
 * Spaces messages to one channel at least `intervalMs` apart (Slack allows about one a second per
 * channel), while different channels go at full speed. Callers reserve a slot and wait for it.
 */
export class ChannelPacer {
  private readonly nextSlot = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async wait(channelKey: string): Promise<void> {
    if (this.intervalMs <= 0) return;
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(channelKey) ?? 0);
    this.nextSlot.set(channelKey, slot + this.intervalMs);
    if (slot > now) await this.sleep(slot - now);
    this.forgetIdle(now);
  }

  /** Keeps the map small: channels idle for a while need no memory. */
  private forgetIdle(now: number): void {
    if (this.nextSlot.size < 10_000) return;
    for (const [key, slot] of this.nextSlot) if (slot < now) this.nextSlot.delete(key);
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
