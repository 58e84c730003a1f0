import { hasMicrosoftCredentials } from '@aoc/core';
import type { Config, Logger } from '@aoc/core';
import { startEmbeddedMongo } from './embedded-mongo.js';

/** The settings after the embedded defaults filled the gaps, and what to stop on exit. */
export interface ResolvedRuntime {
  config: Config;
  /** True when ingesting from the built-in demo tenant (the sim Microsoft cloud on loopback). */
  demoTenant: boolean;
  /** `mongod` / `sim` when the database was started here, `external` when MONGO_URI named one. */
  database: 'external' | 'mongod' | 'sim';
  /** Stop what was started here, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * ARCHITECTURE.md's embedded defaults: no `MONGO_URI` → an embedded database; no Microsoft credentials outside
 * production → the demo tenant, announced in the log. Production without credentials never gets here:
 * `loadConfig` refuses it with the missing variable names.
 */
export async function resolveEmbeddedDefaults(
  config: Config,
  env: Record<string, string | undefined>,
  log: Logger,
): Promise<ResolvedRuntime> {
  const stops: (() => Promise<void>)[] = [];
  let resolved = config;
  let database: ResolvedRuntime['database'] = 'external';
  let demoTenant = false;
  try {
    if (!resolved.mongo.uri) {
      const mongo = await startEmbeddedMongo({ log, env });
      stops.push(() => mongo.stop());
      database = mongo.kind;
      resolved = { ...resolved, mongo: { ...resolved.mongo, uri: mongo.uri } };
      log.info({ database: mongo.kind }, 'embedded database started');
    }
    if (!hasMicrosoftCredentials(resolved) && resolved.env !== 'production') {
      const { startMicrosoftSim } = await import('@aoc/sim');
      // A living tenant: a few new events every interval (a minute by default) for the scheduler (or the Fetch
      // button) to find, and a short request log so a demo left running for days stays small.
      const cloud = await startMicrosoftSim({
        liveEvents: { everyMs: (resolved.demo.eventsIntervalSeconds ?? 60) * 1000, count: 5 },
        requestLogLimit: 1_000,
      });
      stops.push(() => cloud.stop());
      demoTenant = true;
      resolved = {
        ...resolved,
        microsoft: {
          ...resolved.microsoft,
          tenantId: cloud.tenantId,
          clientId: cloud.clientId,
          clientSecret: cloud.clientSecret,
          loginBaseUrl: cloud.urls.login,
          graphBaseUrl: cloud.urls.graph,
          managementBaseUrl: cloud.urls.management,
        },
      };
      log.warn(
        { login: cloud.urls.login },
        'No Microsoft credentials (TENANT_ID, CLIENT_ID, CLIENT_SECRET): ingesting from the built-in DEMO TENANT',
      );
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw error;
  }
  let stopped = false;
  return {
    config: resolved,
    demoTenant,
    database,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stops.reverse())
        await stop().catch((error: unknown) => log.warn({ err: error }, 'stop failed'));
    },
  };
}
