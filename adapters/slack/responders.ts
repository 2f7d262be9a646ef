/** Slack's response_url accepts answers for 30 minutes; after that the Web API is used instead. */
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/**
 * How to answer each recent command, by CommandRef id. Bounded: the oldest entries go first, and none
 * outlives its response_url.
 */
export class ResponderCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(private readonly max: number) {}

  set(id: string, value: T): void {
    this.entries.set(id, { value, until: Date.now() + RESPONSE_URL_LIFETIME_MS });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.value;
  }
}
