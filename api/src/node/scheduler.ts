import { Cron } from 'croner';
import type { Logger } from '@aoc/core';

export interface FetchScheduler {
  /** When the next run is due, or null when stopped. */
  nextRun(): Date | null;
  /** Stop scheduling and clear the recorded next run; a run in progress is left to finish (shutdown aborts it). */
  stop(): Promise<void>;
}

/**
 * Periodic ingestion with croner: every `intervalSeconds`, call `run` — never two at once (`protect`), only
 * when `claim` says this instance has the window (other replicas may share the database), and a failing run is
 * logged, never fatal to the process (`catch`).
 */
export function startFetchScheduler(options: {
  intervalSeconds: number;
  /** Resolves true when this instance runs the fetch of the window containing `at` (one replica per window). */
  claim: (at: Date) => Promise<boolean>;
  run: () => Promise<unknown>;
  /** Told the next due time after every change (core shows it in source health); null once stopped. */
  recordNext: (next: Date | null) => Promise<void>;
  log: Logger;
}): FetchScheduler {
  const { log } = options;
  const job = new Cron(
    // Whole minutes tick on minute boundaries; a seconds field only for the short windows of tests.
    options.intervalSeconds % 60 === 0 ? '* * * * *' : '* * * * * *',
    {
      name: 'periodic-fetch',
      // A cron minute field cannot say "every 90 minutes"; croner's minimum interval can, for any length.
      interval: options.intervalSeconds,
      protect: (running) =>
        log.warn(
          { startedAt: running.currentRun() },
          'scheduled fetch skipped: the previous one is still running',
        ),
      catch: (error) => log.error({ err: error }, 'scheduled fetch failed'),
      unref: true,
    },
    async () => {
      try {
        if (!(await options.claim(job.currentRun() ?? new Date()))) {
          log.debug('scheduled fetch left to the replica that claimed this interval');
          return;
        }
        log.info('scheduled fetch starting');
        await options.run();
      } finally {
        record(job.nextRun());
      }
      log.info({ nextRun: job.nextRun() }, 'scheduled fetch finished');
    },
  );
  function record(next: Date | null): void {
    options
      .recordNext(next)
      .catch((error: unknown) => log.warn({ err: error }, 'could not record the next fetch time'));
  }
  record(job.nextRun());
  log.info({ nextRun: job.nextRun(), intervalSeconds: options.intervalSeconds }, 'periodic fetch scheduled');
  return {
    nextRun: () => job.nextRun(),
    stop: async () => {
      job.stop();
      await options
        .recordNext(null)
        .catch((error: unknown) => log.warn({ err: error }, 'could not clear the next fetch time'));
    },
  };
}
