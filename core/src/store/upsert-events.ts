import { MongoBulkWriteError } from 'mongodb';
import type { AnyBulkWriteOperation, BulkWriteResult, Db, WriteError } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import { eventsCollection } from './collections.js';
import type { EventDocument } from './collections.js';

/** What `upsertEvents` did with a batch. */
export interface UpsertResult {
  /** Events whose `dedupe_key` was not stored before. */
  inserted: number;
  /** Events that were already stored and were refreshed (analyst data kept). */
  updated: number;
  /** The `dedupe_key`s of the inserted events: "new events only", for alerts and SIEM forwarding. */
  insertedKeys: string[];
}

const DUPLICATE_KEY = 11000;
const OPTIONAL_FIELDS = ['content_type', 'unknown_shape'] as const;

/** The event without its undefined fields (the driver would store them as null); the event itself when it has none. */
function definedFields(event: NormalizedEvent): Partial<NormalizedEvent> {
  // Runs for every ingested event: copying only when needed keeps the write path free of per-event garbage.
  for (const key in event) {
    if (event[key as keyof NormalizedEvent] === undefined) {
      return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined));
    }
  }
  return event;
}

function upsertOperation(event: NormalizedEvent, now: Date): AnyBulkWriteOperation<EventDocument> {
  const set = definedFields(event);
  const unset: Partial<Record<(typeof OPTIONAL_FIELDS)[number], ''>> = {};
  for (const field of OPTIONAL_FIELDS) if (event[field] === undefined) unset[field] = '';
  return {
    updateOne: {
      filter: { dedupe_key: event.dedupe_key },
      update: {
        $set: set,
        // Analyst data and the first sighting belong to the stored event: a record seen again never resets them.
        $setOnInsert: { tags: [], comments: [], ingested_at: now },
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      },
      upsert: true,
    },
  };
}

function lastPerKey(batch: readonly NormalizedEvent[]): NormalizedEvent[] {
  const byKey = new Map<string, NormalizedEvent>();
  for (const event of batch) byKey.set(event.dedupe_key, event);
  return [...byKey.values()];
}

interface Outcome {
  result: BulkWriteResult;
  /** Indexes (into the operations) that lost an upsert race with another writer. */
  raced: number[];
}

async function write(db: Db, operations: AnyBulkWriteOperation<EventDocument>[]): Promise<Outcome> {
  try {
    return { result: await eventsCollection(db).bulkWrite(operations, { ordered: false }), raced: [] };
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = ([] as WriteError[]).concat(error.writeErrors);
    if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return { result: error.result, raced: errors.map((e) => e.index) };
  }
}

/**
 * Store a batch of normalized events, exactly once each: unordered `bulkWrite` upserts keyed on `dedupe_key`.
 * A record seen again has its normalized fields refreshed while `tags`, `comments` and the first `ingested_at`
 * are kept. Duplicates inside the batch collapse to the last one. When another writer inserts the same key at
 * the same moment, the losing upsert is retried once as an update.
 */
export async function upsertEvents(
  db: Db,
  batch: readonly NormalizedEvent[],
  now: Date,
): Promise<UpsertResult> {
  const events = lastPerKey(batch);
  if (events.length === 0) return { inserted: 0, updated: 0, insertedKeys: [] };
  const first = await write(
    db,
    events.map((event) => upsertOperation(event, now)),
  );
  const insertedKeys = Object.keys(first.result.upsertedIds).map(
    (index) => events[Number(index)]!.dedupe_key,
  );
  let updated = first.result.matchedCount;
  if (first.raced.length > 0) {
    const retry = await write(
      db,
      first.raced.map((index) => upsertOperation(events[index]!, now)),
    );
    if (retry.raced.length > 0) throw new Error('upsert kept colliding on dedupe_key');
    updated += retry.result.matchedCount;
    insertedKeys.push(
      ...Object.keys(retry.result.upsertedIds).map((i) => events[first.raced[Number(i)]!]!.dedupe_key),
    );
  }
  return { inserted: insertedKeys.length, updated, insertedKeys };
}
