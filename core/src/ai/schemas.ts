import { z } from 'zod';
import { EventFilters, EventId } from '../events/schemas.js';

/** Longest question accepted, in characters. */
export const MAX_QUESTION_LENGTH = 1000;

/**
 * Input of `ask`: the question in plain language (1..1000 characters) and, optionally, the console's active
 * filters (the same fields as `GET /api/events`), which win over what the question says about the same field.
 */
export const AskInput = z.object({
  question: z
    .string({ error: 'expected the question' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_QUESTION_LENGTH, { error: `at most ${MAX_QUESTION_LENGTH} characters` }),
  filters: EventFilters.nullish(),
});
export type AskInput = z.output<typeof AskInput>;
export type AskRequest = z.input<typeof AskInput>;

/** Input of `explain`: the event's `_id` (or source id, like `GET /api/events/{id}`). */
export const ExplainInput = z.object({ id: EventId });
export type ExplainInput = z.output<typeof ExplainInput>;
