import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createCore } from '@aoc/core';
import type { Config, Core, Logger } from '@aoc/core';
import { createApp } from './app.js';
import type { AppOptions } from './app.js';
import { createFetchRunner } from './fetch-runner.js';
import type { McpHttpMount } from './mcp-mount.js';
import { createMetrics } from './middleware/metrics.js';
import { resolveEmbeddedDefaults } from './node/embedded-defaults.js';
import { startFetchScheduler } from './node/scheduler.js';
import type { FetchScheduler } from './node/scheduler.js';
import { serveConsole } from './node/static-files.js';
import { readVersion } from './node/version.js';

export interface ServeOptions {
  config: Config;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Serve the console from here (default: the repository's `web/dist`). */
  webDist?: string;
  /** Builds the MCP HTTP mount over the running core (the `mcp` package's factory). */
  mcp?: (core: Core) => McpHttpMount | Promise<McpHttpMount>;
  /** Longest a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs?: number;
  rateLimits?: AppOptions['rateLimits'];
  /** Seconds between scheduled fetches instead of FETCH_INTERVAL_MINUTES (tests use windows of seconds). */
  fetchIntervalSeconds?: number;
}

/** A running AOC server. */
export interface RunningServer {
  url: string;
  core: Core;
  demoTenant: boolean;
  scheduler: FetchScheduler | undefined;
  /** Resolves when the first-start demo ingestion is done (immediately when there is none). */
  initialIngest: Promise<void>;
  /** The graceful shutdown sequence; resolves when everything is closed. Safe to call twice. */
  shutdown(reason?: string): Promise<void>;
}

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * `aoc serve`: resolve the embedded defaults, build core and the app, listen on HOST:PORT with the console's
 * files, start the scheduler when enabled, and ingest the demo tenant on its first start. The caller wires
 * signals to `shutdown()`.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { log, env } = options;
  const runtime = await resolveEmbeddedDefaults(options.config, env, log);
  const config = runtime.config;
  let core: Core;
  try {
    core = await createCore(config, { log });
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  const version = readVersion(env);
  const metrics = createMetrics({
    dbUp: async () => (await core.health()).db === 'up',
    processMetrics: true,
  });
  const fetchRunner = createFetchRunner(core, metrics);
  const shutdownController = new AbortController();
  let shuttingDown = false;
  const mcp = options.mcp ? await options.mcp(core) : undefined;
  const webDist = options.webDist ?? DEFAULT_WEB_DIST;

  const app = createApp(core, config, {
    version,
    socketAddressOf: (c) => getConnInfo(c).remote.address,
    metrics,
    demoTenant: runtime.demoTenant,
    isShuttingDown: () => shuttingDown,
    shutdownSignal: shutdownController.signal,
    ...(mcp ? { mcp } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    extraRoutes: (routes) => {
      if (!serveConsole(routes, webDist))
        log.warn({ webDist }, 'console not built (run npm run build): serving the API only');
    },
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve(
      { fetch: app.fetch, hostname: config.server.host, port: config.server.port },
      () => resolve(listening),
    );
    listening.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url, version, demoTenant: runtime.demoTenant, database: runtime.database }, 'AOC listening');

  const runFetch = (hours?: number) =>
    fetchRunner.run(hours === undefined ? {} : { hours }, { signal: shutdownController.signal });
  const intervalSeconds = options.fetchIntervalSeconds ?? (config.fetch.intervalMinutes ?? 60) * 60;
  const scheduler = config.fetch.periodic
    ? startFetchScheduler({
        intervalSeconds,
        claim: (at) => core.ingest.claimScheduledRun(at, intervalSeconds * 1000),
        run: () => runFetch(),
        recordNext: (next) => core.ingest.recordSchedule(next),
        log,
      })
    : undefined;

  // Drains the SIEM / rule-webhook outbox in the background; `core.close()` stops it.
  core.siem.start();

  const initialIngest = runtime.demoTenant
    ? ingestDemoOnFirstStart(core, () => runFetch(168), log)
    : Promise.resolve();

  let closing: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown') => {
    closing ??= (async () => {
      log.info({ reason }, 'shutting down');
      shuttingDown = true;
      const schedulerStopped = scheduler?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Ends SSE subscriptions and makes an in-flight fetch checkpoint and release its lease.
      shutdownController.abort(new Error('server shutting down'));
      await mcp?.close().catch((error: unknown) => log.warn({ err: error }, 'closing MCP sessions failed'));
      // Keep-alive connections turn idle as their last response completes; close each as soon as it does.
      const sweep = setInterval(() => {
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }, 50);
      await closed;
      clearInterval(sweep);
      await schedulerStopped;
      await initialIngest.catch(() => undefined);
      // A fetch a webhook triggered runs inside core; give it a moment to finish before the database closes.
      await Promise.race([core.ingest.idle(), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
      await core.close();
      await runtime.stop();
      log.info('shutdown complete');
    })();
    return closing;
  };

  return { url, core, demoTenant: runtime.demoTenant, scheduler, initialIngest, shutdown };
}

async function ingestDemoOnFirstStart(core: Core, run: () => Promise<unknown>, log: Logger): Promise<void> {
  try {
    const { items } = await core.events.search({ page_size: 1 });
    if (items.length > 0) return;
    log.info('first start with the demo tenant: ingesting its last 7 days');
    await run();
    log.info('demo tenant ingested');
  } catch (error) {
    log.error({ err: error }, 'demo tenant ingestion failed');
  }
}
