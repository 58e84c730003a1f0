import { Cron } from 'croner';
import type { Logger } from '@aoc/core';

export interface FetchScheduler {
  /** When the next run is due, or null when stopped. */
  nextRun(): Date | null;
  /** Stop scheduling and clear the recorded next run; a run in progress is left to finish (shutdown aborts it). */
  stop(): Promise<void>;
}

/**
 * Periodic ingestion with croner. Runs are due at the start of every window of `intervalSeconds` aligned to
 * the epoch (so every replica agrees on the windows without talking to the others), plus once at the first
 * tick after start. A due run happens only when `claim` gives this instance the window (other replicas may
 * share the database), never two at once (`protect`), and a failing run is logged, never fatal (`catch`).
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
  const intervalMs = options.intervalSeconds * 1000;
  const windowOf = (at: Date) => Math.floor(at.getTime() / intervalMs);
  let lastWindow: number | undefined;
  let warnedWindow: number | undefined;
  let waitingWindow: number | undefined;
  let stopped = false;
  // croner's own `interval` counts from when the previous run actually started (a few ms after its tick), so
  // it lands one tick late every time: "every 60 minutes" became every 61, drifting away from the windows.
  // Ticking every minute (every second for the short windows of tests) and running only when a new window
  // has begun keeps the period exact.
  const job = new Cron(
    options.intervalSeconds % 60 === 0 ? '* * * * *' : '* * * * * *',
    {
      // No `name`: croner keeps named jobs in a process-wide registry, which refuses a second server's job.
      // A run longer than its window delays the next one to the first tick after it ends; say so once.
      protect: (running) => {
        const window = windowOf(new Date());
        if (window === lastWindow || window === warnedWindow) return;
        warnedWindow = window;
        log.warn(
          { startedAt: running.currentRun() },
          'scheduled fetch delayed: the previous one is still running',
        );
      },
      catch: (error) => log.error({ err: error }, 'scheduled fetch failed'),
      unref: true,
    },
    async () => {
      const due = job.currentRun() ?? new Date();
      if (windowOf(due) === lastWindow) return;
      lastWindow = windowOf(due);
      try {
        const claimed = await options.claim(due).catch((error: unknown) => {
          // The database did not answer: the window is nobody's yet, so try again at the next tick.
          lastWindow = undefined;
          throw error;
        });
        if (!claimed) {
          log.debug({ due }, 'scheduled fetch left to the replica that claimed this interval');
          return;
        }
        log.info({ due }, 'scheduled fetch starting');
        await options.run();
        log.info({ nextRun: nextRun() }, 'scheduled fetch finished');
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'CONFLICT') throw error;
        // Another fetch (a manual one, or another replica's that outlasted its window) still holds the
        // leases. This window stays ours, so try again at the next tick rather than skip it.
        const first = waitingWindow !== lastWindow;
        waitingWindow = lastWindow;
        lastWindow = undefined;
        log[first ? 'info' : 'debug'](
          { due },
          'scheduled fetch waits: another fetch is still running; retrying at the next tick',
        );
      } finally {
        record(nextRun());
      }
    },
  );
  function nextRun(): Date | null {
    if (stopped) return null;
    // The next tick, unless this window has had its run: then the first tick of the next window.
    const tick = job.nextRun();
    if (lastWindow === undefined) return tick;
    const nextWindow = new Date((lastWindow + 1) * intervalMs);
    return tick && tick > nextWindow ? tick : nextWindow;
  }
  function record(next: Date | null): void {
    options
      .recordNext(next)
      .catch((error: unknown) => log.warn({ err: error }, 'could not record the next fetch time'));
  }
  record(nextRun());
  log.info({ nextRun: nextRun(), intervalSeconds: options.intervalSeconds }, 'periodic fetch scheduled');
  return {
    nextRun,
    stop: async () => {
      stopped = true;
      job.stop();
      await options
        .recordNext(null)
        .catch((error: unknown) => log.warn({ err: error }, 'could not clear the next fetch time'));
    },
  };
}
