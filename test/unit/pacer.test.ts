import { describe, expect, it } from 'vitest';
import { Pacer } from '../../adapters/slack/pacer.js';

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('rate limited');
  }
}

const pacer = (intervalMs: number, maxRateLimitWaits = 5) =>
  new Pacer({
    intervalMs,
    maxRateLimitWaits,
    retryAfterMs: (err) => (err instanceof RateLimited ? err.waitMs : undefined),
  });

describe('per-channel pacing', () => {
  it('spaces sends to one channel and keeps their order, while other channels go at once', async () => {
    const p = pacer(80);
    const log: { key: string; n: number; at: number }[] = [];
    const t0 = Date.now();
    const send = (key: string, n: number) =>
      p.run(key, async () => log.push({ key, n, at: Date.now() - t0 }));
    await Promise.all([send('a', 1), send('a', 2), send('a', 3), send('b', 1), send('b', 2)]);
    const a = log.filter((l) => l.key === 'a');
    expect(a.map((l) => l.n)).toEqual([1, 2, 3]);
    expect(a[2]!.at - a[0]!.at).toBeGreaterThanOrEqual(150);
    expect(log.find((l) => l.key === 'b' && l.n === 1)!.at).toBeLessThan(60);
  });

  it('waits as long as a rate limit asks, holding the sends behind it, then goes on', async () => {
    const p = pacer(0);
    let calls = 0;
    const order: string[] = [];
    const t0 = Date.now();
    const first = p.run('a', async () => {
      calls++;
      if (calls === 1) throw new RateLimited(120);
      order.push('first');
    });
    const second = p.run('a', async () => {
      order.push('second');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it('passes on other errors at once, and a rate limit that does not lift', async () => {
    const p = pacer(0, 2);
    await expect(p.run('a', async () => Promise.reject(new Error('channel_not_found')))).rejects.toThrow(
      'channel_not_found',
    );
    let tries = 0;
    await expect(
      p.run('a', async () => {
        tries++;
        throw new RateLimited(5);
      }),
    ).rejects.toBeInstanceOf(RateLimited);
    expect(tries).toBe(3);
    await expect(p.run('a', async () => 'still usable')).resolves.toBe('still usable');
  });
});
