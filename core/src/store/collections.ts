import type { Collection, Db, ObjectId } from 'mongodb';
import type { StoredEvent } from '../events/model.js';

/** Collection names of AOC's database, shared by every domain. */
export const COLLECTIONS = {
  events: 'events',
  watermarks: 'watermarks',
  sourceHealth: 'source_health',
  rules: 'rules',
  alerts: 'alerts',
  locks: 'locks',
  /** Pending SIEM and rule-webhook deliveries (see siem/outbox.ts). */
  outbox: 'outbox',
  /** Stored batches whose alerts and outbox entries may be missing, until their hook ran (ingest/hook-journal.ts). */
  ingestJournal: 'ingest_journal',
  /** Small per-database settings every replica must agree on (e.g. the cursor signing secret). */
  meta: 'meta',
} as const;

/** An event document as MongoDB holds it. */
export type EventDocument = StoredEvent & { _id: ObjectId };

/** A document of the `meta` collection: one named value. */
export interface MetaDocument {
  _id: string;
  value: string;
  created_at: Date;
}

/** The `events` collection, typed. */
export function eventsCollection(db: Db): Collection<EventDocument> {
  return db.collection<EventDocument>(COLLECTIONS.events);
}

/** The `meta` collection, typed. */
export function metaCollection(db: Db): Collection<MetaDocument> {
  return db.collection<MetaDocument>(COLLECTIONS.meta);
}
