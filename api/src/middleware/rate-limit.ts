import type { MiddlewareHandler } from 'hono';
import { AppError } from '@aoc/core';
import type { AppContext, AppEnv } from '../app-env.js';

export interface RateLimiterOptions {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  now?: () => number;
}

export interface RateDecision {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** A limiter that throws `RATE_LIMITED` (429) once a key used up its window; shared by REST and tRPC. */
export interface RateLimiter {
  consume(key: string): RateDecision;
}

/**
 * A fixed-window limiter for expensive operations (fetch, export, ask, explain). In memory, per process: it
 * protects one instance from a noisy client; it is not a distributed quota.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    consume(key) {
      const at = now();
      let window = windows.get(key);
      if (!window || at - window.start >= options.windowMs) {
        if (windows.size > 10_000) {
          for (const [k, w] of windows) if (at - w.start >= options.windowMs) windows.delete(k);
        }
        window = { start: at, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      const decision = {
        limit: options.limit,
        remaining: Math.max(0, options.limit - window.count),
        resetSeconds: Math.max(1, Math.ceil((window.start + options.windowMs - at) / 1000)),
      };
      if (window.count > options.limit) {
        throw new AppError('RATE_LIMITED', `Too many requests; retry in ${decision.resetSeconds} s`, {
          details: { retry_after_seconds: decision.resetSeconds },
        });
      }
      return decision;
    },
  };
}

/** The limiter as Hono middleware, with `RateLimit-*` and (when refused) `Retry-After` headers. */
export function rateLimit(limiter: RateLimiter, keyOf: (c: AppContext) => string): MiddlewareHandler<AppEnv> {
  return async function limitRate(c, next) {
    let decision: RateDecision;
    try {
      decision = limiter.consume(keyOf(c));
    } catch (error) {
      const details = (error as AppError).details as { retry_after_seconds?: number } | undefined;
      if (details?.retry_after_seconds !== undefined)
        c.header('Retry-After', String(details.retry_after_seconds));
      throw error;
    }
    c.header('RateLimit-Limit', String(decision.limit));
    c.header('RateLimit-Remaining', String(decision.remaining));
    c.header('RateLimit-Reset', String(decision.resetSeconds));
    await next();
  };
}
