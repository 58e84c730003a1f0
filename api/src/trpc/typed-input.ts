import type { z } from 'zod';

/**
 * Core's input schemas screen raw input with `z.preprocess` (to refuse operator keys), which makes their
 * inferred input type `unknown`. This gives a tRPC procedure the same schema — validation unchanged — with
 * the input type the console should write, so `AppRouter` clients are typed.
 */
export function typedInput<TInput, TSchema extends z.ZodType>(
  schema: TSchema,
): { _input: TInput; _output: z.output<TSchema>; parse: (input: unknown) => z.output<TSchema> } {
  return {
    // Phantom members: read by tRPC's type inference only, never at runtime.
    _input: undefined as TInput,
    _output: undefined as z.output<TSchema>,
    parse: (input) => schema.parse(input),
  };
}

type Values = string | string[];

/** Event filters as the console sends them (see core's `EventFilters` for each field's meaning). */
export interface EventFiltersRequest {
  service?: Values;
  operation?: Values;
  result?: Values;
  source?: Values;
  tags?: Values;
  actor?: Values;
  entity?: string;
  /** ISO 8601 date or date-time. */
  start?: string;
  end?: string;
  search?: string;
}

export interface SearchEventsRequest extends EventFiltersRequest {
  cursor?: string | null;
  page_size?: number;
}

export interface SummaryRequest {
  days?: number;
  start?: string;
  end?: string;
  top?: number;
  filters?: EventFiltersRequest;
}
