import { z } from 'zod';
import { FetchInput } from '@aoc/core';
import type { FetchProgress } from '@aoc/core';
import { procedure, router } from './init.js';
import { limitedProcedure } from './limits.js';

const POLL_MS = 500;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Ingestion for the console: start a fetch, watch any fetch's progress live (SSE), and read source health. */
export const ingestRouter = router({
  fetch: limitedProcedure('fetch')
    .input(FetchInput)
    .mutation(({ ctx, input }) => ctx.fetchRunner.run(input, { signal: ctx.shutdownSignal })),

  /**
   * Streams the progress of whichever fetch is running (started here, over REST or by the scheduler): a
   * snapshot whenever it changes, `null` when none is running. Ends when the client leaves or the server stops.
   */
  progress: procedure.input(z.object({}).optional()).subscription(async function* ({ ctx, signal }) {
    const stop = AbortSignal.any([ctx.shutdownSignal, ...(signal ? [signal] : [])]);
    let last: string | undefined;
    while (!stop.aborted) {
      const current: FetchProgress | null = ctx.core.ingest.progress();
      const serialized = JSON.stringify(current);
      if (serialized !== last) {
        last = serialized;
        yield current;
      }
      await sleep(POLL_MS, stop);
    }
  }),

  sourceHealth: procedure.query(({ ctx }) => ctx.core.ingest.sourceHealth()),
});
