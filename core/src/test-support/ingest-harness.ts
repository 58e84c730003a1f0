import type { Db } from 'mongodb';
import { startMicrosoftSim } from '@aoc/sim';
import type { MicrosoftSim, MicrosoftSimOptions } from '@aoc/sim';
import { loadConfig } from '../config.js';
import type { Config } from '../config.js';
import type { CoreContext } from '../context.js';
import type { Source } from '../events/model.js';
import { abortableSleep } from '../http/index.js';
import { silentLogger } from '../logger.js';
import { createMappingsProvider } from '../mappings/mappings-provider.js';
import { COLLECTIONS, eventsCollection } from '../store/collections.js';
import { ensureEventIndexes } from '../store/indexes.js';
import { createIngest } from '../ingest/index.js';
import type { Ingest, IngestOptions } from '../ingest/index.js';

/** Used by the ingestion integration tests only: the sim cloud plus ingestion over a test database. */
export interface Harness {
  sim: MicrosoftSim;
  config: Config;
  context: CoreContext;
  ingest: Ingest;
  /** Every backoff the HTTP layer asked for (the test sleep waits at most 5 ms of it). */
  delays: number[];
  /** Another ingestion instance on the same database and sim (a second replica). */
  replica(options?: Partial<IngestOptions>): Ingest;
  /** Stored event ids per source. */
  storedIds(): Promise<Record<Source, string[]>>;
  stop(): Promise<void>;
}

export const WEBHOOK_SECRET = 'webhook-client-state-secret';

/** The sim's ids per AOC source. */
export function expectedBySource(sim: MicrosoftSim): Record<Source, Set<string>> {
  const expected = sim.expectedIds() as Record<string, Set<string>>;
  const out: Record<Source, Set<string>> = { directory: new Set(), intune: new Set(), unified: new Set() };
  for (const [name, ids] of Object.entries(expected)) {
    const source: Source =
      name === 'directoryAudits' ? 'directory' : name === 'intuneAuditEvents' ? 'intune' : 'unified';
    for (const id of ids) out[source].add(id);
  }
  return out;
}

export async function startHarness(
  db: Db,
  dbName: string,
  uri: string,
  options: {
    sim?: MicrosoftSimOptions;
    ingest?: Partial<IngestOptions>;
    clock?: () => Date;
    /** Settings overriding the ones pointing at the sim. */
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const clock = options.clock ?? (() => new Date());
  const sim = await startMicrosoftSim({ now: clock, ...options.sim });
  const config = loadConfig({
    MONGO_URI: uri,
    MONGO_DB: dbName,
    TENANT_ID: sim.tenantId,
    CLIENT_ID: sim.clientId,
    CLIENT_SECRET: sim.clientSecret,
    LOGIN_BASE_URL: sim.urls.login,
    GRAPH_BASE_URL: sim.urls.graph,
    MANAGEMENT_BASE_URL: sim.urls.management,
    WEBHOOK_CLIENT_SECRET: WEBHOOK_SECRET,
    ...options.env,
  });
  await Promise.all(Object.values(COLLECTIONS).map((name) => db.collection(name).deleteMany({})));
  await ensureEventIndexes(db, { retentionDays: undefined });
  const context: CoreContext = {
    config,
    log: silentLogger(),
    clock,
    db,
    fetch: globalThis.fetch,
    mappings: createMappingsProvider(undefined),
  };
  const delays: number[] = [];
  const make = (extra: Partial<IngestOptions> = {}) =>
    createIngest(context, {
      http: {
        retry: { baseDelayMs: 2, maxDelayMs: 20 },
        sleep: (ms, signal) => {
          delays.push(ms);
          return abortableSleep(Math.min(ms, 5), signal);
        },
      },
      leaseTtlMs: 3000,
      ...options.ingest,
      ...extra,
    });
  return {
    sim,
    config,
    context,
    ingest: make(),
    delays,
    replica: make,
    async storedIds() {
      const out: Record<Source, string[]> = { directory: [], intune: [], unified: [] };
      const docs = eventsCollection(db).find({}, { projection: { id: 1, source: 1 } });
      for await (const doc of docs) out[doc.source].push(doc.id);
      return out;
    },
    stop: () => sim.stop(),
  };
}
