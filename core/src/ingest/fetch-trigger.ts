import type { Source } from '../events/model.js';
import type { Logger } from '../logger.js';

/** Starts incremental fetches in the background (for webhooks), coalescing requests made while one runs. */
export interface FetchTrigger {
  fire(sources: readonly Source[]): void;
  /** Resolves when nothing is running or queued (tests and shutdown). */
  idle(): Promise<void>;
}

export function createFetchTrigger(run: (sources: Source[]) => Promise<unknown>, log: Logger): FetchTrigger {
  const queued = new Set<Source>();
  let current: Promise<void> | undefined;

  const loop = async () => {
    while (queued.size > 0) {
      const sources = [...queued];
      queued.clear();
      try {
        await run(sources);
      } catch (error) {
        // A fetch already running (here or on another replica) will pick the new events up, or the next one will.
        log.info({ err: error, sources }, 'webhook-triggered fetch not started');
      }
    }
  };

  return {
    fire(sources) {
      for (const source of sources) queued.add(source);
      current ??= loop().finally(() => {
        current = undefined;
      });
    },
    async idle() {
      while (current) await current;
    },
  };
}
