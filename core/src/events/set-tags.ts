import { NotFoundError } from '../errors.js';
import { eventsCollection } from '../store/collections.js';
import type { EventsContext } from './context.js';
import { findEventDocument } from './get-event.js';
import { parseInput, TagList } from './schemas.js';
import { API_PROJECTION, toApiEvent } from './to-api.js';
import type { ApiEvent } from './to-api.js';

/**
 * Replace an event's tags (see `TagList`: trimmed, deduplicated, at most 50 of at most 64 characters) and
 * return the updated event. Unknown id → `NotFoundError`; bad tags → `ValidationError`.
 */
export async function setTags(ctx: Pick<EventsContext, 'db'>, id: unknown, tags: unknown): Promise<ApiEvent> {
  const cleaned = parseInput(TagList, tags);
  const event = await findEventDocument(ctx.db, id, { _id: 1 });
  const updated = await eventsCollection(ctx.db).findOneAndUpdate(
    { _id: event._id },
    { $set: { tags: cleaned } },
    { returnDocument: 'after', projection: API_PROJECTION },
  );
  if (!updated) throw new NotFoundError(`Event "${event._id.toHexString()}" was deleted meanwhile`);
  return toApiEvent(updated);
}
