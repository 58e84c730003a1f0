import { z } from 'zod';
import { Source } from '../events/model.js';

/** The largest window a fetch may reach back (30 days), as the original service capped it. */
export const MAX_HOURS = 720;
/** How far back a source's first fetch reaches when no `hours` is given (7 days). */
export const DEFAULT_HOURS = 168;

/**
 * Input of `runFetch`. `hours` (clamped to 1..720): the fetch reaches back at least this far. Without it a
 * source continues from its watermark (with the overlap re-reads), and a source never fetched before reaches
 * back 168 h. `sources`: which sources to fetch (all three by default).
 */
export const FetchInput = z.object({
  hours: z
    .preprocess(
      // Query strings and CLI flags arrive as text.
      (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
      z.number().finite().optional(),
    )
    .transform((hours) =>
      hours === undefined ? undefined : Math.min(MAX_HOURS, Math.max(1, Math.round(hours))),
    ),
  sources: z
    .array(Source)
    .optional()
    .transform((sources) => (sources && sources.length > 0 ? [...new Set(sources)] : undefined)),
});
export type FetchInput = z.input<typeof FetchInput>;

/** What one source did in a run. */
export interface SourceResult {
  /** `partial`: it ran, but something (an expired blob, a failed blob, a subscription) is missing. */
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  fetched: number;
  inserted: number;
  updated: number;
  pages: number;
  blobs: number;
  /** The window fetched (ISO instants). */
  from: string | null;
  to: string | null;
  error: string | null;
}

/** The answer of `runFetch`. */
export interface FetchResult {
  /** Events stored (new or refreshed) by this run. */
  count: number;
  inserted: number;
  updated: number;
  per_source: Partial<Record<Source, SourceResult>>;
  /** Human-readable warnings, each prefixed with its source. */
  warnings: string[];
}

/** Live progress of one source in a running fetch. */
export interface SourceProgress {
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  pages: number;
  blobs: number;
  events_fetched: number;
  events_stored: number;
}

/** Live progress of a running fetch, as the API streams it to the console. */
export interface FetchProgress {
  run_id: string;
  started_at: string;
  sources: Partial<Record<Source, SourceProgress>>;
}
