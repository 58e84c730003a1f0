import { z } from 'zod';
import { AskInput, EventId } from '@aoc/core';
import { limitedProcedure } from './limits.js';
import { router } from './init.js';
import { typedInput } from './typed-input.js';
import type { EventFiltersRequest } from './typed-input.js';

/** A question as the console sends it: the text and its active filters (which win over the question). */
export interface AskRequest {
  question: string;
  filters?: EventFiltersRequest | null;
}

/**
 * Ask and explain for the console; each procedure calls one `core.ai` verb, which rejects with NOT_FOUND when
 * AI_FEATURES_ENABLED=false. Mutations, because each may spend a model call.
 */
export const aiRouter = router({
  ask: limitedProcedure('ai')
    .input(typedInput<AskRequest, typeof AskInput>(AskInput))
    .mutation(({ ctx, input }) => ctx.core.ai.ask(input)),
  explain: limitedProcedure('ai')
    .input(z.object({ id: EventId }))
    .mutation(({ ctx, input }) => ctx.core.ai.explain(input.id)),
});
