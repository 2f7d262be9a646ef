import { Pacer } from '../core/pacer.js';
import { rateLimitWaits } from '../ops/metrics.js';

const pacers = new WeakMap<object, Pacer>();

/** One pacer per adapter, shared by everything that posts through it, at the platform's per-channel rate. */
export function pacerFor(adapter: { minPostIntervalMs: number }): Pacer | undefined {
  if (adapter.minPostIntervalMs <= 0) return undefined;
  let pacer = pacers.get(adapter);
  if (!pacer) {
    pacer = new Pacer({
      intervalMs: adapter.minPostIntervalMs,
      retryAfterMs: () => undefined,
      onPaced: () => rateLimitWaits.inc({ target: 'chat' }),
    });
    pacers.set(adapter, pacer);
  }
  return pacer;
}

/** Runs a send through the pacer when there is one. */
export function paced<T>(pacer: Pacer | undefined, channelKey: string, send: () => Promise<T>): Promise<T> {
  return pacer ? pacer.run(channelKey, send) : send();
}
