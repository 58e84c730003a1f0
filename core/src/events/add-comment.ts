import { NotFoundError } from '../errors.js';
import { eventsCollection } from '../store/collections.js';
import type { EventsContext } from './context.js';
import { findEventDocument } from './get-event.js';
import { AddCommentInput, parseInput } from './schemas.js';
import { API_PROJECTION, toApiEvent } from './to-api.js';
import type { ApiEvent } from './to-api.js';

/**
 * Append a comment `{ author, text, at }` to an event (`at` from the core clock) and return the updated event.
 * Text is trimmed, 1..4000 characters; unknown id → `NotFoundError`; bad input → `ValidationError`.
 */
export async function addComment(
  ctx: Pick<EventsContext, 'db' | 'clock'>,
  id: unknown,
  comment: unknown,
): Promise<ApiEvent> {
  const { author, text } = parseInput(AddCommentInput, comment);
  const event = await findEventDocument(ctx.db, id, { _id: 1 });
  const updated = await eventsCollection(ctx.db).findOneAndUpdate(
    { _id: event._id },
    { $push: { comments: { author, text, at: ctx.clock() } } },
    { returnDocument: 'after', projection: API_PROJECTION },
  );
  if (!updated) throw new NotFoundError(`Event "${event._id.toHexString()}" was deleted meanwhile`);
  return toApiEvent(updated);
}
