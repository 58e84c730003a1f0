import type { Db } from 'mongodb';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { MappingsProvider } from './mappings/mappings-provider.js';

/**
 * What every core verb receives: the settings, a logger, the clock, the database and the outbound `fetch`.
 * Domains build their methods from small factories taking this context (`createEvents(ctx)`, …), so tests
 * pass their own clock and `fetch`, and new domains extend `Core` without touching the others.
 */
export interface CoreContext {
  config: Config;
  log: Logger;
  /** The current time; injected so tests control it. */
  clock: () => Date;
  db: Db;
  fetch: typeof fetch;
  /** The current `mappings.yml` (labels and summary templates), reloaded when the file changes. */
  mappings: MappingsProvider;
}
