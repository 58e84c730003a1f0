import { MongoBulkWriteError } from 'mongodb';
import type { AnyBulkWriteOperation, BulkWriteResult, Db, ObjectId, WriteError } from 'mongodb';
import { alertsCollection } from './store.js';
import type { AlertDocument } from './store.js';

const DUPLICATE_KEY = 11000;

/**
 * A threshold rule's burst: extend the actor's alert last seen since `openSince`, or else create `alert` (with
 * the `_id` the server gives it).
 */
export interface BurstWrite {
  openSince: Date;
  alert: Omit<AlertDocument, '_id'>;
}

function burstOperation({ openSince, alert }: BurstWrite): AnyBulkWriteOperation<AlertDocument> {
  const { rule_id, actor, event_keys, first_seen, last_seen, ...created } = alert;
  return {
    updateOne: {
      filter: { rule_id, actor, last_seen: { $gte: openSince } },
      // A new alert takes rule_id and actor from the filter, the rest from these operators, and its _id from the
      // server (the reply names it).
      update: {
        $addToSet: { event_keys: { $each: event_keys } },
        $min: { first_seen },
        $max: { last_seen },
        $setOnInsert: created,
      },
      upsert: true,
    },
  };
}

/**
 * Store a batch's alerts in one round trip (an unordered bulk write): plain alerts are inserted, skipping any
 * whose (rule, key) exists already (the unique index makes a re-evaluated event harmless); each burst extends
 * its actor's open alert or creates a new one. Returns the alerts created (not the ones extended or skipped).
 */
export async function writeAlerts(
  db: Db,
  plain: readonly AlertDocument[],
  bursts: readonly BurstWrite[],
): Promise<AlertDocument[]> {
  if (plain.length + bursts.length === 0) return [];
  const operations: AnyBulkWriteOperation<AlertDocument>[] = [
    ...plain.map((document) => ({ insertOne: { document } })),
    ...bursts.map(burstOperation),
  ];
  let result: BulkWriteResult;
  let failed = new Set<number>();
  try {
    result = await alertsCollection(db).bulkWrite(operations, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = ([] as WriteError[]).concat(error.writeErrors);
    if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    result = error.result;
    failed = new Set(errors.map((e) => e.index));
  }
  const upserted = result.upsertedIds as Record<number, ObjectId | undefined>;
  return [
    ...plain.filter((_alert, i) => !failed.has(i)),
    ...bursts.flatMap(({ alert }, i) => {
      const id = upserted[plain.length + i];
      return id ? [{ ...alert, _id: id }] : [];
    }),
  ];
}
