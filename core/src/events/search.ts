import { eventsCollection } from '../store/collections.js';
import type { EventsContext } from './context.js';
import { buildListQuery } from './query.js';
import { parseInput, SearchEventsInput } from './schemas.js';
import { API_PROJECTION, toApiEvent } from './to-api.js';
import type { ApiEvent } from './to-api.js';

/** One page of events, newest first, and the token of the next page (null on the last page). */
export interface SearchEventsResult {
  items: ApiEvent[];
  next_cursor: string | null;
}

/**
 * List events matching the filters, newest first, one page at a time (see `SearchEventsInput`). Pagination is
 * keyset-based on (timestamp desc, _id desc): pages stay stable while new events arrive, and following
 * `next_cursor` visits every event present when the listing began exactly once. Throws `ValidationError` for
 * bad input, including a tampered or malformed cursor.
 */
export async function searchEvents(ctx: EventsContext, request: unknown): Promise<SearchEventsResult> {
  const input = parseInput(SearchEventsInput, request ?? {});
  const after = input.cursor === undefined ? undefined : ctx.cursors.decode(input.cursor);
  const { filter, sort } = buildListQuery(input, after);
  const docs = await eventsCollection(ctx.db)
    .find(filter, { projection: API_PROJECTION })
    .sort(sort)
    .limit(input.page_size + 1)
    .toArray();
  const page = docs.slice(0, input.page_size);
  const last = page.at(-1);
  const next_cursor =
    docs.length > input.page_size && last
      ? ctx.cursors.encode({ timestamp: last.timestamp, id: last._id })
      : null;
  return { items: page.map(toApiEvent), next_cursor };
}
