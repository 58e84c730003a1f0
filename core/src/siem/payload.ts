import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import { API_PROJECTION, toApiEvent } from '../events/to-api.js';
import type { ApiEvent } from '../events/to-api.js';
import { alertsCollection } from '../rules/store.js';
import { apiAlerts } from '../rules/alert-views.js';
import type { ApiAlert } from '../rules/to-api.js';
import { eventsCollection } from '../store/collections.js';
import type { OutboxDocument } from './outbox.js';

/**
 * One delivered item. `id` is stable across redeliveries (the event's dedupe key, the alert's id), so the SIEM
 * can drop the duplicates at-least-once delivery may produce.
 */
export type SiemItem =
  { type: 'event'; id: string; event: ApiEvent } | { type: 'alert'; id: string; alert: ApiAlert };

/** The JSON body of one SIEM request. */
export interface SiemBatch {
  source: 'aoc';
  sent_at: string;
  items: SiemItem[];
}

/**
 * The current documents behind outbox entries, in entry order. Entries whose document is gone (retention,
 * deletion) are left out: there is nothing left to forward.
 */
export async function loadItems(db: Db, entries: readonly OutboxDocument[]): Promise<SiemItem[]> {
  const eventKeys = entries.filter((e) => e.kind === 'event').map((e) => e.ref);
  const alertIds = entries
    .filter((e) => e.kind === 'alert' && ObjectId.isValid(e.ref))
    .map((e) => new ObjectId(e.ref));
  const [events, alerts] = await Promise.all([
    eventKeys.length
      ? eventsCollection(db)
          .find({ dedupe_key: { $in: eventKeys } }, { projection: API_PROJECTION })
          .toArray()
      : [],
    alertIds.length
      ? alertsCollection(db)
          .find({ _id: { $in: alertIds } })
          .toArray()
      : [],
  ]);
  const eventByKey = new Map(events.map((doc) => [doc.dedupe_key, doc]));
  const views = await apiAlerts(db, alerts);
  const alertById = new Map(views.map((view) => [view._id, view]));
  const items: SiemItem[] = [];
  for (const entry of entries) {
    if (entry.kind === 'event') {
      const doc = eventByKey.get(entry.ref);
      if (doc) items.push({ type: 'event', id: entry.ref, event: toApiEvent(doc) });
    } else {
      const doc = alertById.get(entry.ref);
      if (doc) items.push({ type: 'alert', id: entry.ref, alert: doc });
    }
  }
  return items;
}
