import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('createRateLimiter', () => {
  it('admits at most `limit` calls per window and makes the rest wait for the window to slide', async () => {
    let t = 0;
    const waits: number[] = [];
    const limiter = createRateLimiter({
      limit: 3,
      windowMs: 60_000,
      now: () => t,
      sleep: (ms) => {
        waits.push(ms);
        t += ms;
        return Promise.resolve();
      },
    });
    const admitted: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => limiter.acquire().then(() => admitted.push(t))));
    expect(admitted.slice(0, 3)).toEqual([0, 0, 0]);
    expect(admitted[3]).toBeGreaterThanOrEqual(60_000);
    expect(admitted[6]).toBeGreaterThanOrEqual(120_000);
    for (let i = 3; i < admitted.length; i++) {
      const inWindow = admitted.filter((a) => a > (admitted[i] ?? 0) - 60_000 && a <= (admitted[i] ?? 0));
      expect(inWindow.length).toBeLessThanOrEqual(3);
    }
    expect(waits.length).toBeGreaterThan(0);
  });
});
