import type { Core } from '@aoc/core';
import type { Metrics } from './middleware/metrics.js';

type RunFetch = Core['ingest']['runFetch'];
/** Input of one fetch run, exactly core's. */
export type FetchRequest = Parameters<RunFetch>[0];
/** Callbacks and abort signal of one run, exactly core's. */
export type FetchHooks = NonNullable<Parameters<RunFetch>[1]>;
export type FetchOutcome = Awaited<ReturnType<RunFetch>>;

/** Runs core's fetch and counts the outcome per source in the metrics; shared by REST, tRPC and the scheduler. */
export interface FetchRunner {
  run(request: FetchRequest, hooks?: FetchHooks): Promise<FetchOutcome>;
}

export function createFetchRunner(core: Core, metrics: Metrics): FetchRunner {
  return {
    async run(request, hooks) {
      const outcome = await core.ingest.runFetch(request, hooks);
      for (const [source, result] of Object.entries(outcome.per_source)) {
        if (!result) continue;
        metrics.recordFetch({ source, outcome: result.status, events: result.inserted + result.updated });
      }
      return outcome;
    },
  };
}
