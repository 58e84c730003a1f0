import type { Db } from 'mongodb';
import { startMicrosoftSim } from '@aoc/sim';
import type { MicrosoftSim, MicrosoftSimOptions } from '@aoc/sim';
import type { Core, CoreDeps } from '../create-core.js';
import { COLLECTIONS } from '../store/collections.js';
import { createTestCore } from './test-core.js';
import type { TestDatabaseLike } from './test-core.js';

/** A whole core (rules, SIEM outbox and all) ingesting from a fresh sim Microsoft cloud over a clean database. */
export async function startSimCore(
  database: TestDatabaseLike & { db: Db },
  options: { sim?: MicrosoftSimOptions; env?: Record<string, string>; deps?: CoreDeps } = {},
): Promise<{ core: Core; sim: MicrosoftSim; stop: () => Promise<void> }> {
  const sim = await startMicrosoftSim({ blobSize: 100, ...options.sim });
  await Promise.all(Object.values(COLLECTIONS).map((name) => database.db.collection(name).deleteMany({})));
  const core = await createTestCore(database, {
    env: {
      TENANT_ID: sim.tenantId,
      CLIENT_ID: sim.clientId,
      CLIENT_SECRET: sim.clientSecret,
      LOGIN_BASE_URL: sim.urls.login,
      GRAPH_BASE_URL: sim.urls.graph,
      MANAGEMENT_BASE_URL: sim.urls.management,
      ...options.env,
    },
    ...(options.deps ? { deps: options.deps } : {}),
  });
  return {
    core,
    sim,
    stop: async () => {
      await core.close();
      await sim.stop();
    },
  };
}
