import type { MiddlewareHandler } from 'hono';
import { AppError } from '@aoc/core';
import type { AppEnv } from '../app-env.js';

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  /** Who a request counts against: the caller's identity when known, else the client address. */
  keyOf: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => string;
  now?: () => number;
}

/**
 * A fixed-window limiter for expensive endpoints (fetch, export, ask, explain). In memory, per process: it
 * protects one instance from a noisy client; it is not a distributed quota.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return async function limitRate(c, next) {
    const at = now();
    const key = options.keyOf(c);
    let window = windows.get(key);
    if (!window || at - window.start >= options.windowMs) {
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (at - w.start >= options.windowMs) windows.delete(k);
      }
      window = { start: at, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    const remaining = Math.max(0, options.limit - window.count);
    const resetSeconds = Math.ceil((window.start + options.windowMs - at) / 1000);
    c.header('RateLimit-Limit', String(options.limit));
    c.header('RateLimit-Remaining', String(remaining));
    c.header('RateLimit-Reset', String(resetSeconds));
    if (window.count > options.limit) {
      c.header('Retry-After', String(resetSeconds));
      throw new AppError('RATE_LIMITED', `Too many requests; retry in ${resetSeconds} s`, {
        details: { retry_after_seconds: resetSeconds },
      });
    }
    await next();
  };
}
