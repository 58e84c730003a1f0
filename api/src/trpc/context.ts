import type { Config, Core } from '@aoc/core';
import type { Identity } from '../auth/identity.js';
import type { Limiters } from '../deps.js';
import type { FetchRunner } from '../fetch-runner.js';

/** What every procedure sees: core, settings, the caller (when auth is on), rate limiting and the request id. */
export interface TrpcContext {
  core: Core;
  config: Config;
  fetchRunner: FetchRunner;
  identity: Identity | undefined;
  requestId: string | undefined;
  limiters: Limiters;
  /** The caller's rate-limit key (tid+oid when signed in, else the client address). */
  rateKey: string;
  version: string;
  demoTenant: boolean;
  /** Aborted when the server shuts down, so subscriptions end instead of holding the process open. */
  shutdownSignal: AbortSignal;
}
