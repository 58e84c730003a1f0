import { z } from 'zod';
import { FetchInput } from '@aoc/core';
import { procedure, router } from './init.js';
import { limitedProcedure } from './limits.js';
import { progressStream } from './progress-stream.js';

/** Ingestion for the console: start a fetch, watch any fetch's progress live (SSE), and read source health. */
export const ingestRouter = router({
  fetch: limitedProcedure('fetch')
    .input(FetchInput)
    .mutation(({ ctx, input }) => ctx.fetchRunner.run(input, { signal: ctx.shutdownSignal })),

  /**
   * Streams the progress of whichever fetch is running (started here, over REST or by the scheduler): a
   * snapshot whenever it changes, `null` when none is running. Ends when the client leaves or the server stops.
   */
  progress: procedure
    .input(z.object({}).optional())
    .subscription(({ ctx, signal }) =>
      progressStream(ctx.core.ingest, AbortSignal.any([ctx.shutdownSignal, ...(signal ? [signal] : [])])),
    ),

  sourceHealth: procedure.query(({ ctx }) => ctx.core.ingest.sourceHealth()),
});
