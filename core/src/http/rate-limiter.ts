import { abortableSleep } from './sleep.js';
import type { Sleep } from './sleep.js';

/** Admits at most `limit` calls in any sliding window of `windowMs`. */
export interface RateLimiter {
  /** Resolve when one more call fits in the window (rejects if `signal` aborts while waiting). */
  acquire(signal?: AbortSignal): Promise<void>;
}

export interface RateLimiterOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  sleep?: Sleep;
}

/** A sliding-window limiter; waiters are served in arrival order. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const stamps: number[] = [];
  let head = 0;
  let queue: Promise<void> = Promise.resolve();

  async function take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const t = now();
      while (head < stamps.length && (stamps[head] ?? 0) <= t - options.windowMs) head += 1;
      if (head > 1024) {
        stamps.splice(0, head);
        head = 0;
      }
      if (stamps.length - head < options.limit) {
        stamps.push(t);
        return;
      }
      await sleep((stamps[head] ?? t) + options.windowMs - t + 1, signal);
    }
  }

  return {
    acquire(signal) {
      const turn = queue.then(() => take(signal));
      // A waiter that aborts must not block the ones behind it.
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
