import { upsertEvents } from '../store/upsert-events.js';
import type { UpsertResult } from '../store/upsert-events.js';
import { addComment } from './add-comment.js';
import type { EventsContext } from './context.js';
import { exportEvents } from './export.js';
import type { EventExport } from './export.js';
import { createFilterOptions } from './filter-options.js';
import type { FilterOptions } from './filter-options.js';
import { getEvent } from './get-event.js';
import type { NormalizedEvent } from './model.js';
import type { ExportEventsRequest, SearchEventsRequest, SummaryRequest } from './schemas.js';
import { searchEvents } from './search.js';
import type { SearchEventsResult } from './search.js';
import { setTags } from './set-tags.js';
import { summarizeEvents } from './summary.js';
import type { EventSummary } from './summary.js';
import type { ApiEvent } from './to-api.js';

/**
 * `core.events`: the one implementation of every event query and edit behind REST, tRPC and MCP. Every method
 * validates its input with the schemas of `./schemas.ts` (throwing `ValidationError` naming the field) and
 * returns events as `ApiEvent` (string `_id`, ISO dates).
 */
export interface EventsApi {
  /** One page of matching events, newest first, plus `next_cursor` (see `searchEvents`). */
  search(input?: SearchEventsRequest): Promise<SearchEventsResult>;
  /** One event by `_id` string (or source id); unknown → `NotFoundError`. */
  get(id: string): Promise<ApiEvent>;
  /** Distinct values with counts for the filter dropdowns; cheap, cached 30 s. */
  filterOptions(): Promise<FilterOptions>;
  /** Totals, top values and a time histogram for a range (see `summarizeEvents`). */
  summary(input?: SummaryRequest): Promise<EventSummary>;
  /** A streaming CSV or NDJSON export; validation happens on the call, reading as it is iterated. */
  export(input?: ExportEventsRequest): EventExport;
  /** Replace an event's tags; returns the updated event. */
  setTags(id: string, tags: readonly string[]): Promise<ApiEvent>;
  /** Append a comment; returns the updated event. */
  addComment(id: string, comment: { author: string; text: string }): Promise<ApiEvent>;
  /** Store normalized events exactly once, keeping analyst data (see `upsertEvents`). */
  upsert(batch: readonly NormalizedEvent[]): Promise<UpsertResult>;
}

/** Build `core.events` over a context. */
export function createEvents(ctx: EventsContext): EventsApi {
  const filterOptions = createFilterOptions(ctx);
  return {
    search: (input) => searchEvents(ctx, input),
    get: (id) => getEvent(ctx, id),
    filterOptions,
    summary: (input) => summarizeEvents(ctx, input),
    export: (input) => exportEvents(ctx, input),
    setTags: (id, tags) => setTags(ctx, id, tags),
    addComment: (id, comment) => addComment(ctx, id, comment),
    upsert: (batch) => upsertEvents(ctx.db, batch, ctx.clock()),
  };
}
