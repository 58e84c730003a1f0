import { MongoBulkWriteError } from 'mongodb';
import type { AnyBulkWriteOperation, BulkWriteResult, Db, ObjectId, WriteError } from 'mongodb';
import type { OpenAlert, RecentMatches } from './recent-matches.js';
import { alertsCollection } from './store.js';
import type { AlertDocument, NewAlert } from './store.js';

const DUPLICATE_KEY = 11000;

/**
 * A threshold rule's burst: extend the actor's alert last seen since `openSince`, or else create `alert` (with
 * the `_id` the server gives it). `openKey` names the alert this process's earlier writes for the actor were
 * planned to leave open, so it is found by its unique key rather than searched for. `assumed` is what `recent`
 * was told is open after this write, when it was planned; should the write turn out otherwise, `recent` is
 * corrected.
 */
export interface BurstWrite {
  openSince: Date;
  openKey?: string;
  assumed: OpenAlert;
  alert: NewAlert & { actor: string };
  recent: RecentMatches;
}

/**
 * A plain alert, created unless its (rule, key) exists already. An upsert rather than an insert, so that a
 * batch's alerts go in one command; the server gives the `_id` (the reply names it).
 */
function plainOperation({ rule_id, key, ...created }: NewAlert): AnyBulkWriteOperation<AlertDocument> {
  return { updateOne: { filter: { rule_id, key }, update: { $setOnInsert: created }, upsert: true } };
}

function extendOperation({ openSince, openKey, alert }: BurstWrite): AnyBulkWriteOperation<AlertDocument> {
  const { rule_id, event_keys, first_seen, last_seen } = alert;
  return {
    updateOne: {
      filter: { rule_id, key: openKey!, last_seen: { $gte: openSince } },
      update: { $addToSet: { event_keys: { $each: event_keys } }, $min: { first_seen }, $max: { last_seen } },
    },
  };
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

interface Outcome {
  /** Indexes of the operations that upserted, with the new `_id`. */
  upserted: Map<number, ObjectId>;
  failed: Set<number>;
  matched: number;
}

async function write(db: Db, operations: AnyBulkWriteOperation<AlertDocument>[]): Promise<Outcome> {
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
  const upserted = new Map<number, ObjectId>();
  for (const [index, id] of Object.entries(result.upsertedIds)) upserted.set(Number(index), id as ObjectId);
  return { upserted, failed, matched: result.matchedCount };
}

/**
 * Store a batch's alerts in one unordered bulk write (one command): plain alerts are created unless their
 * (rule, key) exists already (so a re-evaluated event is harmless); each burst extends its actor's open alert
 * or creates a new one. Should an alert addressed by `openKey` not be there or no longer open (fewer matched
 * than expected: it closed, or an earlier write joined another alert, lost a race or failed), those bursts are
 * written again the general way, which is idempotent. Returns the alerts created
 * (not the ones extended or skipped).
 */
export async function writeAlerts(
  db: Db,
  plain: readonly NewAlert[],
  bursts: readonly BurstWrite[],
): Promise<AlertDocument[]> {
  if (plain.length + bursts.length === 0) return [];
  const known = bursts.filter((burst) => burst.openKey !== undefined);
  const general = bursts.filter((burst) => burst.openKey === undefined);
  const first = await write(db, [
    ...plain.map(plainOperation),
    ...general.map(burstOperation),
    ...known.map(extendOperation),
  ]);
  const created = plain.flatMap((alert, i) => {
    const id = first.upserted.get(i);
    return id ? [{ ...alert, _id: id }] : [];
  });
  const correct = (burst: BurstWrite, id: ObjectId | undefined) => {
    const { actor, key, last_seen } = burst.alert;
    if (id) created.push({ ...burst.alert, _id: id });
    // Created: its own key is open. Otherwise it joined an alert found by actor (or lost a race to create one),
    // whose key this process does not know, so the next write searches again.
    burst.recent.setOpen(actor, id ? { key, lastSeen: last_seen.getTime() } : undefined, burst.assumed);
  };
  general.forEach((burst, i) => {
    const id = first.upserted.get(plain.length + i);
    if (id) created.push({ ...burst.alert, _id: id });
    else correct(burst, undefined);
  });
  // Plain alerts that existed and general bursts that joined an existing alert: the rest of `matched` is
  // extensions.
  let joined = 0;
  for (let i = 0; i < plain.length + general.length; i += 1)
    if (!first.upserted.has(i) && !first.failed.has(i)) joined += 1;
  if (first.matched - joined >= known.length) return created;
  const again = await write(db, known.map(burstOperation));
  known.forEach((burst, i) => correct(burst, again.upserted.get(i)));
  return created;
}
