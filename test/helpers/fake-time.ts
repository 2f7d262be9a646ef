import { vi } from 'vitest';

/** Fakes timers and the clock only: sockets and setImmediate stay real, so local servers keep answering. */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

/**
 * Waits for a promise while moving fake time forward in small steps, yielding to real I/O between steps:
 * backoff delays and request spacing pass at once, and the order of events stays the real one.
 */
export async function settle<T>(promise: Promise<T>, stepMs = 100): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!done) await vi.advanceTimersByTimeAsync(stepMs);
  }
  return watched;
}
