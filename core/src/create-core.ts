import type { Db, MongoClient } from 'mongodb';
import { assertLlmUrlAllowed, createAi } from './ai/index.js';
import type { AiApi } from './ai/index.js';
import type { Config } from './config.js';
import type { CoreContext } from './context.js';
import { ConfigError } from './errors.js';
import { createCursorCodec } from './events/cursor.js';
import { createEvents } from './events/create-events.js';
import type { EventsApi } from './events/create-events.js';
import { createLogger } from './logger.js';
import type { Logger } from './logger.js';
import { createMappingsProvider } from './mappings/mappings-provider.js';
import type { MappingsProvider } from './mappings/mappings-provider.js';
import { createMaintenance } from './maintenance/create-maintenance.js';
import { ensureJournalIndexes } from './ingest/hook-journal.js';
import { createIngest } from './ingest/index.js';
import type { Ingest } from './ingest/index.js';
import type { MaintenanceApi } from './maintenance/create-maintenance.js';
import { connectMongo } from './store/connect.js';
import { ensureEventIndexes } from './store/indexes.js';
import { loadOrCreateSecret } from './store/secrets.js';
import { createRules } from './rules/index.js';
import type { AlertsApi, RulesApi } from './rules/index.js';
import { createIngestHook, createSiem, withSiemHealth } from './siem/index.js';
import type { ForwarderOptions, OutboundDeps, SiemApi } from './siem/index.js';

/** What `createCore` may be given instead of its defaults (tests pass their own clock, fetch and client). */
export interface CoreDeps {
  log?: Logger;
  /** The current time; defaults to the system clock. */
  clock?: () => Date;
  /** Outbound HTTP; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** An already connected client; the caller keeps ownership (`close()` leaves it open). */
  mongoClient?: MongoClient;
  /** Key for signing list cursors; defaults to a random secret stored once per database. */
  cursorSecret?: Uint8Array;
  /** The mappings source; defaults to `config.mappingsPath`, loaded now (a bad file fails startup). */
  mappings?: MappingsProvider;
  /** Outbound URL guard settings only tests change (loopback receivers, simulated DNS). */
  outbound?: OutboundDeps;
  /** Outbox forwarder knobs (tests shrink delays). */
  siem?: ForwarderOptions;
}

/** AOC's core: one object per process, the same for REST, tRPC, MCP, the scheduler and the CLI. */
export interface Core {
  config: Config;
  log: Logger;
  db: Db;
  clock: () => Date;
  /** The shared context the domain factories were built from; new domains build from it too. */
  context: CoreContext;
  events: EventsApi;
  maintenance: MaintenanceApi;
  /** Fetching from Microsoft: runFetch, progress, source health, webhooks. */
  ingest: Ingest;
  /** Ask and explain; always present, `enabled: false` (verbs reject with NotFoundError) when AI_FEATURES_ENABLED=false. */
  ai: AiApi;
  /** Alert rules: CRUD and preview; evaluated on every ingested batch when ALERTS_ENABLED. */
  rules: RulesApi;
  /** Alerts raised by rules: list and acknowledge. */
  alerts: AlertsApi;
  /** The outbox to the SIEM and rule webhooks; the API process calls `siem.start()` / `siem.stop()`. */
  siem: SiemApi;
  /** Whether the database answers a ping within 2 s. */
  health(): Promise<{ db: 'up' | 'down' }>;
  /** Close the database connection (unless the client was passed in). Safe to call twice. */
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2000;

async function ping(db: Db): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), HEALTH_TIMEOUT_MS);
  });
  const answer = db.command({ ping: 1 }).then(
    () => 'up' as const,
    () => 'down' as const,
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Build the core: connect to `config.mongo.uri` (the entry point resolves the embedded database before calling,
 * so a missing URI is a `ConfigError`), ensure the indexes (idempotent, safe across replicas; the TTL index
 * follows `config.retentionDays`), load the per-database cursor secret, and assemble the domains from small
 * factories over one `CoreContext`. Throws `UnavailableError` when MongoDB cannot be reached.
 */
export async function createCore(config: Config, deps: CoreDeps = {}): Promise<Core> {
  // A disallowed LLM host is a configuration error, found before anything connects.
  if (config.ai.enabled) assertLlmUrlAllowed(config.ai, deps.outbound);
  const log = deps.log ?? createLogger({ level: config.log.level });
  const clock = deps.clock ?? (() => new Date());
  const mappings = deps.mappings ?? createMappingsProvider(config.mappingsPath);
  const ownsClient = deps.mongoClient === undefined;
  let client = deps.mongoClient;
  if (!client) {
    if (!config.mongo.uri)
      throw new ConfigError('MONGO_URI is not set: the entry point must resolve the database first');
    client = await connectMongo(config.mongo.uri, { log });
  }
  try {
    const db = client.db(config.mongo.db);
    await ensureEventIndexes(db, { retentionDays: config.retentionDays, log });
    await ensureJournalIndexes(db);
    const secret = deps.cursorSecret ?? (await loadOrCreateSecret(db, 'cursor_hmac_key', clock()));
    const context: CoreContext = { config, log, clock, db, fetch: deps.fetch ?? globalThis.fetch, mappings };
    const events = createEvents({ ...context, cursors: createCursorCodec(secret) });
    const siem = await createSiem(context, {
      ...(deps.outbound ? { outbound: deps.outbound } : {}),
      ...(deps.siem ? { options: deps.siem } : {}),
    });
    const { rules, alerts } = await createRules({
      ...context,
      checkWebhookUrl: (url) => void siem.guards.webhooks.checkUrl(url),
    });
    const onIngested = createIngestHook({ alertsEnabled: config.alerts.enabled, rules, siem, log });
    const ingest = withSiemHealth(createIngest(context, { onIngested }), siem);
    // Batches a previous process stored without running their hook (it died, or the database failed). In the
    // background: after a long outage that backlog may take minutes, and the API must answer meanwhile.
    const startupReplay = ingest.replayJournal();
    let closed = false;
    const connection = client;
    return {
      config,
      log,
      db,
      clock,
      context,
      events,
      maintenance: createMaintenance(context),
      ingest,
      ai: createAi({ ...context, events, ...(deps.outbound ? { outbound: deps.outbound } : {}) }),
      rules,
      alerts,
      siem,
      health: async () => ({ db: await ping(db) }),
      close: async () => {
        await startupReplay;
        await siem.stop();
        if (closed || !ownsClient) return;
        closed = true;
        await connection.close();
      },
    };
  } catch (error) {
    if (ownsClient) await client.close().catch(() => undefined);
    throw error;
  }
}
