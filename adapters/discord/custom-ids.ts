import { LRUCache } from 'lru-cache';

/** Discord's limit on a component's custom_id. */
const MAX_CUSTOM_ID = 100;
const DIRECT = 'cmd:';
const KEYED = 'key:';

/**
 * Buttons carry the command they stand for in their custom_id, so a press needs no stored state and
 * survives restarts. A command too long for the 100-character custom_id is kept in a bounded cache under a
 * short key instead; the least recently used keys go first, and a press on an evicted one is reported as expired.
 */
export class CustomIds {
  private readonly long: LRUCache<string, string>;
  private nextKey = 0;

  constructor(capacity = 5000) {
    this.long = new LRUCache({ max: capacity });
  }

  idFor(command: string): string {
    const direct = `${DIRECT}${command}`;
    if (direct.length <= MAX_CUSTOM_ID) return direct;
    const key = `${KEYED}${(this.nextKey++).toString(36)}`;
    this.long.set(key, command);
    return key;
  }

  /** The command behind a custom_id, or undefined when it is not ours or has expired. */
  commandFor(customId: string): string | undefined {
    if (customId.startsWith(DIRECT)) return customId.slice(DIRECT.length);
    if (customId.startsWith(KEYED)) return this.long.get(customId);
    return undefined;
  }
}
