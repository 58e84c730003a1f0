import { ObjectId } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { NotFoundError } from '../errors.js';
import { eventsCollection } from '../store/collections.js';
import type { EventDocument } from '../store/collections.js';
import type { EventsContext } from './context.js';
import { EventId, parseInput } from './schemas.js';
import { API_PROJECTION, toApiEvent } from './to-api.js';
import type { ApiEvent } from './to-api.js';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No event with id "${id.slice(0, 100)}"`, { details: { id } });
}

/**
 * Find the stored event an id names. The id is the `_id` string every API answer carries; for compatibility
 * with clients of the original service, the source record's own `id` is accepted too (the newest event with
 * that source id wins, since one id may recur across sources). Throws `NotFoundError` when nothing matches.
 * `projection` narrows what is read (edits only need `_id`).
 */
export async function findEventDocument(
  db: Db,
  rawId: unknown,
  projection: Document = API_PROJECTION,
): Promise<EventDocument> {
  const id = parseInput(EventId, rawId);
  const events = eventsCollection(db);
  if (OBJECT_ID.test(id)) {
    const byId = await events.findOne({ _id: new ObjectId(id) }, { projection });
    if (byId) return byId;
  }
  const [bySourceId] = await events
    .find({ id }, { projection })
    .sort({ timestamp: -1, _id: -1 })
    .limit(1)
    .toArray();
  if (!bySourceId) throw notFound(id);
  return bySourceId;
}

/** One event in its API form, by `_id` string or source id (see `findEventDocument`); unknown → `NotFoundError`. */
export async function getEvent(ctx: Pick<EventsContext, 'db'>, id: unknown): Promise<ApiEvent> {
  return toApiEvent(await findEventDocument(ctx.db, id));
}
