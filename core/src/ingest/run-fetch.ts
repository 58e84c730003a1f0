import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { Source } from '../events/model.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EventSink } from './event-sink.js';
import { classifyFailure } from './classify-failure.js';
import { fetchGraphSource } from './fetch-graph.js';
import type { GraphDeps } from './fetch-graph.js';
import { fetchManagement } from './fetch-management.js';
import type { ManagementDeps } from './fetch-management.js';
import { Lease } from './lease.js';
import { createProgress } from './progress.js';
import type { ProgressTracker } from './progress.js';
import { FetchInput } from './schemas.js';
import type { FetchProgress, FetchResult, SourceResult } from './schemas.js';
import { SOURCES } from './source-health.js';
import type { HealthStore } from './source-health.js';
import { emptyResult } from './source-run.js';
import type { SourceRun } from './source-run.js';
import type { Watermarks } from './watermarks.js';

/** The Microsoft clients of one run (their HTTP layer draws on that run's retry budget). */
export interface RunClients {
  directory: GraphDeps;
  intune: GraphDeps;
  unified: ManagementDeps;
}

export interface FetchRunnerEnv {
  db: Db;
  log: Logger;
  clock: () => Date;
  /** Identifies this core instance in `locks`. */
  owner: string;
  leaseTtlMs: number;
  watermarks: Watermarks;
  health: HealthStore;
  sink: EventSink;
  /** The clients of a new run, or a reason why none can be made (no credentials). */
  clients(): RunClients | { unavailable: string };
  /** Runs at the start of every run, before the sources (the replay of journaled hooks); must not throw. */
  beforeRun?: () => Promise<void>;
}

export interface RunFetchOptions {
  /** Called on every progress change (pages, blobs, events). */
  onProgress?: (progress: FetchProgress) => void;
  /** Aborts the run; what was stored stays stored and watermarks stay where they were. */
  signal?: AbortSignal;
}

/** Told of every progress change of this process's fetches: a snapshot while one runs, null when it ends. */
export type ProgressListener = (progress: FetchProgress | null) => void;

export interface FetchRunner {
  runFetch(input?: FetchInput, options?: RunFetchOptions): Promise<FetchResult>;
  /** The running fetch's progress in this process, or null. */
  progress(): FetchProgress | null;
  /** Calls `listener` on every progress change from now on; returns the function that stops it. */
  watchProgress(listener: ProgressListener): () => void;
}

const leaseName = (source: Source) => `fetch:${source}`;

export function createFetchRunner(env: FetchRunnerEnv): FetchRunner {
  let running: ProgressTracker | undefined;
  const listeners = new Set<ProgressListener>();

  function announce(progress: FetchProgress | null): void {
    for (const listener of listeners) {
      try {
        listener(progress);
      } catch (error) {
        // A watcher's fault must not fail the fetch it watches.
        env.log.error({ err: error }, 'fetch progress listener failed');
      }
    }
  }

  async function runFetch(rawInput: FetchInput = {}, options: RunFetchOptions = {}): Promise<FetchResult> {
    const parsed = FetchInput.safeParse(rawInput);
    if (!parsed.success) {
      throw new ValidationError('invalid fetch input', { details: parsed.error.issues });
    }
    if (running)
      throw new ConflictError('fetch already running', { details: { progress: running.snapshot() } });
    const input = parsed.data;
    const sources = input.sources ?? [...SOURCES];
    const runId = randomUUID();
    const startedAt = env.clock();
    const tracker = createProgress(runId, startedAt, sources, (snapshot) => {
      if (options.onProgress) options.onProgress(snapshot());
      if (listeners.size > 0) announce(snapshot());
    });
    // Claimed before the first await, so a second call in this process is refused at once.
    running = tracker;
    if (listeners.size > 0) announce(tracker.snapshot());
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const leases = new Map<Source, Lease>();
    try {
      await env.beforeRun?.();
      for (const source of sources) {
        const lease = await Lease.acquire({
          db: env.db,
          name: leaseName(source),
          owner: `${env.owner}/${runId}`,
          ttlMs: env.leaseTtlMs,
          clock: env.clock,
          progress: () => tracker.snapshot(),
          onLost: () =>
            controller.abort(new ConflictError(`${source}: fetch lease lost to another instance`)),
        });
        if (lease) leases.set(source, lease);
      }
      if (leases.size === 0) {
        const holders = await Lease.live(env.db, sources.map(leaseName), env.clock());
        throw new ConflictError('fetch already running', {
          details: { progress: holders.find((holder) => holder.progress)?.progress ?? null },
        });
      }
      return await runSources(sources, leases, input.hours, tracker, controller.signal);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await Promise.allSettled([...leases.values()].map((lease) => lease.release()));
      running = undefined;
      announce(null);
    }
  }

  async function runSources(
    sources: readonly Source[],
    leases: Map<Source, Lease>,
    hours: number | undefined,
    tracker: ProgressTracker,
    signal: AbortSignal,
  ): Promise<FetchResult> {
    const clients = env.clients();
    const perSource: Partial<Record<Source, SourceResult>> = {};
    const warnings: string[] = [];
    await Promise.all(
      sources.map(async (source) => {
        const result = emptyResult();
        perSource[source] = result;
        const lease = leases.get(source);
        if (!lease) {
          result.status = 'skipped';
          result.error = 'fetch already running on another instance';
          warnings.push(`${source}: skipped, a fetch of it is already running elsewhere`);
          tracker.update(source, (p) => void (p.state = 'skipped'));
          return;
        }
        const run: SourceRun = {
          source,
          fence: lease.fence,
          now: env.clock(),
          hours,
          signal,
          clock: env.clock,
          watermarks: env.watermarks,
          health: env.health,
          sink: env.sink,
          progress: tracker,
          result,
          warnings: [],
        };
        await runOne(run, clients);
        warnings.push(...run.warnings.map((warning) => `${source}: ${warning}`));
      }),
    );
    const inserted = sum(perSource, 'inserted');
    const updated = sum(perSource, 'updated');
    return { count: inserted + updated, inserted, updated, per_source: perSource, warnings };
  }

  async function runOne(run: SourceRun, clients: RunClients | { unavailable: string }): Promise<void> {
    const { source } = run;
    run.progress.update(source, (p) => void (p.state = 'running'));
    await env.health.attempt(source, run.now);
    try {
      if ('unavailable' in clients) throw new ConfigUnavailable(clients.unavailable);
      if (source === 'unified') await fetchManagement(run, clients.unified);
      else await fetchGraphSource(run, clients[source]);
      const stored = run.result.inserted + run.result.updated;
      if (run.problem) {
        await env.health.failure(source, env.clock(), {
          ...run.problem,
          fetched: run.result.fetched,
          stored,
        });
      } else {
        await env.health.success(source, env.clock(), {
          fetched: run.result.fetched,
          stored,
          watermark: run.reached,
          warnings: run.warnings,
        });
      }
      run.progress.update(source, (p) => void (p.state = 'done'));
    } catch (error) {
      const aborted = run.signal.aborted;
      const message = aborted ? `aborted: ${reasonOf(run.signal.reason)}` : (error as Error).message;
      run.result.status = 'failed';
      run.result.error = message;
      run.warnings.push(`failed: ${message}`);
      run.progress.update(source, (p) => void (p.state = 'failed'));
      env.log.warn({ err: error, source }, 'fetch of source failed');
      const kind = error instanceof ConfigUnavailable ? 'credentials' : classifyFailure(error);
      await env.health
        .failure(source, env.clock(), {
          message,
          kind,
          fetched: run.result.fetched,
          stored: run.result.inserted + run.result.updated,
        })
        .catch((healthError: unknown) =>
          env.log.error({ err: healthError }, 'could not record source health'),
        );
    }
  }

  return {
    runFetch,
    progress: () => running?.snapshot() ?? null,
    watchProgress(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

class ConfigUnavailable extends Error {}

function reasonOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'cancelled';
}

function sum(perSource: Partial<Record<Source, SourceResult>>, key: 'inserted' | 'updated'): number {
  return Object.values(perSource).reduce((total, result) => total + (result?.[key] ?? 0), 0);
}
