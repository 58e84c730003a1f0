import { loadConfig } from '../config.js';
import { createCore } from '../create-core.js';
import type { Core, CoreDeps } from '../create-core.js';
import { silentLogger } from '../logger.js';
import { createMappingsProvider } from '../mappings/mappings-provider.js';

/** The parts of `useTestDatabase()` (from @aoc/sim/testing) a test core needs. */
export interface TestDatabaseLike {
  readonly client: CoreDeps['mongoClient'];
  readonly name: string;
  readonly uri: string;
}

/**
 * A core over a test file's own database: the file's client (left open by `close()`), a silent logger, the
 * built-in mappings, and any environment or dependency overrides.
 */
export async function createTestCore(
  database: TestDatabaseLike,
  options: { env?: Record<string, string>; deps?: CoreDeps } = {},
): Promise<Core> {
  const config = loadConfig({ MONGO_URI: database.uri, MONGO_DB: database.name, ...options.env });
  return createCore(config, {
    mongoClient: database.client,
    log: silentLogger(),
    mappings: createMappingsProvider(undefined),
    ...options.deps,
  });
}
