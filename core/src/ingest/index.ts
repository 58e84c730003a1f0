import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { hasMicrosoftCredentials } from '../config.js';
import type { CoreContext } from '../context.js';
import { ContentType } from '../events/model.js';
import type { HttpClientOptions } from '../http/index.js';
import { createHttpClient, createRateLimiter, createRetryBudget } from '../http/index.js';
import { normalizeEvent } from '../normalize/normalize-event.js';
import { createNameResolver } from '../sources/graph/resolve-names.js';
import { createTokenClient } from '../sources/token-client.js';
import { upsertEvents } from '../store/upsert-events.js';
import { createEventSink } from './event-sink.js';
import type { NormalizeFn, UpsertFn } from './event-sink.js';
import { createFetchTrigger } from './fetch-trigger.js';
import { createHookJournal } from './hook-journal.js';
import type { IngestHook } from './hook-journal.js';
import { handleGraphNotification } from './graph-webhook.js';
import { handleManagementNotification } from './management-webhook.js';
import { createFetchRunner } from './run-fetch.js';
import { claimScheduleSlot } from './schedule-slot.js';
import type { ProgressListener, RunClients, RunFetchOptions } from './run-fetch.js';
import type { FetchInput, FetchProgress, FetchResult } from './schemas.js';
import { createHealthStore } from './source-health.js';
import type { SourceHealth } from './source-health.js';
import { createWatermarks } from './watermarks.js';

export type { FetchProgress, FetchResult, SourceProgress, SourceResult } from './schemas.js';
export { FetchInput, MAX_HOURS, DEFAULT_HOURS } from './schemas.js';
export type { SourceHealth, Gap, FailureKind } from './source-health.js';
export type { ProgressListener, RunFetchOptions } from './run-fetch.js';
export type { NormalizeFn, UpsertFn } from './event-sink.js';

/** Knobs of ingestion; the defaults are the production values, tests shrink delays and sizes. */
export interface IngestOptions {
  /** Turns one raw record into a NormalizedEvent; defaults to `normalizeEvent` with the current mappings. */
  normalize?: NormalizeFn;
  /** Stores a batch; defaults to the store's `upsertEvents`. */
  upsert?: UpsertFn;
  /** Told the dedupe keys of newly inserted events (alerts, SIEM). */
  onInserted?: (keys: readonly string[]) => void;
  /** Given the newly inserted events of each batch, awaited before the batch counts as stored (rules, SIEM). */
  onIngested?: IngestHook;
  /** With `onIngested`: when a journaled batch may be replayed, and how long a replayer holds it (hook-journal.ts). */
  journal?: { replayAfterMs?: number; claimMs?: number };
  /** HTTP layer settings: retry delays, sleep and randomness (tests make them small and deterministic). */
  http?: Pick<HttpClientOptions, 'retry' | 'sleep' | 'random' | 'timeoutMs'>;
  /** Retries one run may spend across all its requests (default 500). */
  retryBudget?: number;
  /** Events per upsert (default 500). */
  batchSize?: number;
  /** Content blobs downloaded at once (default 8). */
  blobConcurrency?: number;
  /**
   * Management Activity API calls per minute. Microsoft allots a tenant 2,000 requests a minute
   * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference#api-throttling);
   * the default stays a little below it.
   */
  managementRequestsPerMinute?: number;
  /** Bodies larger than this are parsed as a stream (default 4 MiB). */
  streamThresholdBytes?: number;
  /** Lease lifetime in `locks`; renewed every third of it (default 60 s). */
  leaseTtlMs?: number;
  /** Name of this instance in `locks` (default host:pid:random). */
  owner?: string;
  contentTypes?: readonly ContentType[];
}

/** Ingestion, as `core.ingest` exposes it. */
export interface Ingest {
  /**
   * Fetch the requested sources (default all) concurrently, each under its own lease, streaming pages and
   * blobs into batched upserts. One source failing does not stop the others. Throws `ConflictError`
   * ('fetch already running', details.progress) when a fetch runs in this process, or when every requested
   * source is being fetched by another instance; `ValidationError` on bad input.
   */
  runFetch(input?: FetchInput, options?: RunFetchOptions): Promise<FetchResult>;
  /** Progress of the fetch running in this process, or null. */
  progress(): FetchProgress | null;
  /**
   * Calls `listener` on every progress change of this process's fetches (the run's start, each page, blob and
   * stored batch, and null at its end); returns the function that stops it. Listeners share each snapshot.
   */
  watchProgress(listener: ProgressListener): () => void;
  /** Health of every source, with the status rules applied (see source-health.ts). */
  sourceHealth(): Promise<SourceHealth[]>;
  /** The scheduler records its next run here; source health shows it (null when scheduling stops). */
  recordSchedule(next: Date | null): Promise<void>;
  /**
   * Claim the scheduled fetch of the window of `intervalMs` (aligned to the epoch) that contains `at`: true
   * for exactly one instance per window among all sharing the database. Schedulers call it before each run.
   */
  claimScheduledRun(at: Date, intervalMs: number): Promise<boolean>;
  /** POST /api/webhooks/graph: validation handshake and change notifications (web-standard Request). */
  handleGraphNotification(request: Request): Promise<Response>;
  /** Management Activity API webhook: validation and content notifications. */
  handleManagementNotification(request: Request): Promise<Response>;
  /** Resolves when no webhook-triggered fetch is running or queued. */
  idle(): Promise<void>;
  /**
   * Run the ingestion hook (alerts, SIEM outbox) of journaled batches whose hook failed or never ran (see
   * hook-journal.ts); every runFetch starts with it. Returns the batches replayed; never throws (a failure is
   * logged and the batch stays journaled).
   */
  replayJournal(): Promise<number>;
}

/** Build ingestion over the core context; no I/O happens until a method is called. */
export function createIngest(ctx: CoreContext, options: IngestOptions = {}): Ingest {
  const { config, db, log, clock } = ctx;
  const ms = config.microsoft;
  const now = () => clock();
  const http = createHttpClient({
    fetch: ctx.fetch,
    now,
    ...options.http,
    onRetry: (notice) => log.debug({ retry: notice }, 'retrying Microsoft request'),
  });
  const watermarks = createWatermarks(db, clock);
  const health = createHealthStore(db);
  const limiter = createRateLimiter({
    limit: options.managementRequestsPerMinute ?? 1800,
    windowMs: 60_000,
    ...(options.http?.sleep ? { sleep: options.http.sleep } : {}),
  });
  const credentialed = hasMicrosoftCredentials(config);
  const tokens = credentialed
    ? createTokenClient({
        http,
        loginBaseUrl: ms.loginBaseUrl,
        tenantId: ms.tenantId ?? '',
        clientId: ms.clientId ?? '',
        clientSecret: ms.clientSecret ?? '',
        now,
      })
    : undefined;
  const graphAuth = tokens?.forScope(`${ms.graphBaseUrl}/.default`);
  const managementAuth = tokens?.forScope(`${ms.managementBaseUrl}/.default`);
  const resolver = graphAuth
    ? createNameResolver({
        http,
        auth: graphAuth,
        graphBaseUrl: ms.graphBaseUrl,
        onError: (error) => log.warn({ err: error }, 'display-name lookup failed; ids are kept'),
      })
    : undefined;

  const clients = (): RunClients | { unavailable: string } => {
    if (!graphAuth || !managementAuth) {
      return {
        unavailable: 'Microsoft credentials (TENANT_ID, CLIENT_ID, CLIENT_SECRET) are not configured',
      };
    }
    const runHttp = http.withBudget(createRetryBudget(options.retryBudget ?? 500));
    const graph = { http: runHttp, auth: graphAuth, graphBaseUrl: ms.graphBaseUrl };
    return {
      directory: { ...graph, ...(resolver ? { resolver } : {}) },
      intune: graph,
      unified: {
        http: runHttp,
        auth: managementAuth,
        managementBaseUrl: ms.managementBaseUrl,
        tenantId: ms.tenantId ?? '',
        limiter,
        contentTypes: options.contentTypes ?? ContentType.options,
        concurrency: options.blobConcurrency ?? 8,
        batchSize: options.batchSize ?? 500,
        streamThresholdBytes: options.streamThresholdBytes ?? 4 * 1024 * 1024,
        blobTimeoutMs: 5 * 60_000,
      },
    };
  };

  // The provider checks the file's mtime on `get`; once a second is plenty inside a run of many records.
  let mappings: { at: number; value: ReturnType<typeof ctx.mappings.get> } | undefined;
  const currentMappings = () => {
    const at = Date.now();
    if (!mappings || at - mappings.at > 1000) mappings = { at, value: ctx.mappings.get() };
    return mappings.value;
  };
  const hook = options.onIngested;
  const journal = hook ? createHookJournal({ db, clock, ...options.journal }) : undefined;
  const replayJournal = async (): Promise<number> => {
    if (!hook || !journal) return 0;
    try {
      const replayed = await journal.replay(hook);
      if (replayed > 0) log.warn({ batches: replayed }, 'replayed the ingestion hook of journaled batches');
      return replayed;
    } catch (error) {
      log.error({ err: error }, 'replaying journaled batches failed; they stay journaled');
      return 0;
    }
  };
  const sink = createEventSink({
    normalize:
      options.normalize ??
      ((raw, source, extra) => normalizeEvent(raw, source, { mappings: currentMappings(), ...extra })),
    upsert: options.upsert ?? ((batch) => upsertEvents(db, batch, clock())),
    batchSize: options.batchSize ?? 500,
    ...(options.onInserted ? { onInserted: options.onInserted } : {}),
    ...(hook ? { onIngested: hook } : {}),
    ...(journal ? { journal } : {}),
  });
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const runner = createFetchRunner({
    db,
    log,
    clock,
    owner,
    leaseTtlMs: options.leaseTtlMs ?? 60_000,
    watermarks,
    health,
    sink,
    clients,
    beforeRun: async () => void (await replayJournal()),
  });
  const trigger = createFetchTrigger((sources) => runner.runFetch({ sources }), log);

  return {
    runFetch: (input, runOptions) => runner.runFetch(input, runOptions),
    progress: () => runner.progress(),
    watchProgress: (listener) => runner.watchProgress(listener),
    sourceHealth: () =>
      health.read(clock(), config.fetch.periodic ? (config.fetch.intervalMinutes ?? 60) * 60_000 : undefined),
    recordSchedule: (next) => health.schedule(next),
    claimScheduledRun: (at, intervalMs) => claimScheduleSlot(db, { at, intervalMs, owner }),
    handleGraphNotification: (request) =>
      handleGraphNotification(request, config.webhooks.clientSecret, trigger),
    handleManagementNotification: (request) =>
      handleManagementNotification(request, config.webhooks.clientSecret, ms.tenantId, watermarks, trigger),
    idle: () => trigger.idle(),
    replayJournal,
  };
}
