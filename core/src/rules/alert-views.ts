import type { Db } from 'mongodb';
import { eventsCollection } from '../store/collections.js';
import type { AlertDocument } from './store.js';
import { toApiAlert } from './to-api.js';
import type { ApiAlert } from './to-api.js';

/**
 * Alerts in API form, their events' `_id`s looked up in one query. Alerts store dedupe keys because that is
 * what ingestion knows without another round trip; the lookup happens here, off the ingestion path.
 */
export async function apiAlerts(db: Db, docs: readonly AlertDocument[]): Promise<ApiAlert[]> {
  const keys = [...new Set(docs.flatMap((doc) => doc.event_keys))];
  const events =
    keys.length === 0
      ? []
      : await eventsCollection(db)
          .find({ dedupe_key: { $in: keys } }, { projection: { _id: 1, dedupe_key: 1 } })
          .toArray();
  const idsByKey = new Map(events.map((e) => [e.dedupe_key, e._id.toHexString()]));
  return docs.map((doc) => toApiAlert(doc, idsByKey));
}
