import type { Config, Core } from '@aoc/core';
import type { AppContext } from './app-env.js';
import type { RateLimiter } from './middleware/rate-limit.js';
import type { FetchRunner } from './fetch-runner.js';

/** The rate limiters of the expensive operations. */
export interface Limiters {
  fetch: RateLimiter;
  export: RateLimiter;
  ai: RateLimiter;
}

/** What the REST routes and tRPC procedures are built from; assembled once by `createApp`. */
export interface SurfaceDeps {
  core: Core;
  config: Config;
  fetchRunner: FetchRunner;
  version: string;
  /** True when ingesting from the built-in demo tenant (shown as a badge in the console). */
  demoTenant: boolean;
  /** Rate limiters for the expensive operations, shared by REST and tRPC. */
  limiters: Limiters;
  /** Whom a request's rate limit counts against: the caller's tid+oid when signed in, else the client address. */
  rateKeyOf: (c: AppContext) => string;
  /** Aborted when the server begins shutting down. */
  shutdownSignal: AbortSignal;
}
