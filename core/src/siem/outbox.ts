import { MongoBulkWriteError, ObjectId } from 'mongodb';
import type { Collection, Db, Document, WriteError } from 'mongodb';
import { COLLECTIONS } from '../store/collections.js';
import { ensureIndexes } from '../store/indexes.js';

/** Where an outbox entry goes: the SIEM webhook, or the notification webhook of the alert's rule. */
export type OutboxDestination = 'siem' | 'webhook';

/**
 * One pending delivery. Entries reference what they deliver (an event's dedupe key, an alert's id) rather than
 * copying it, so the outbox stays small; the forwarder reads the current documents when it sends.
 */
export interface OutboxDocument {
  _id: ObjectId;
  dest: OutboxDestination;
  kind: 'event' | 'alert';
  ref: string;
  /** Free to claim from this time on; a claim holds it for a while, so a crashed sender's batch comes back. */
  claim_until: Date;
  claim?: ObjectId;
  attempts: number;
  created_at: Date;
}

export function outboxCollection(db: Db): Collection<OutboxDocument> {
  return db.collection<OutboxDocument>(COLLECTIONS.outbox);
}

/** Create the outbox indexes (idempotent). */
export async function ensureOutboxIndexes(db: Db): Promise<void> {
  await ensureIndexes(outboxCollection(db) as unknown as Collection<Document>, [
    { name: 'dest_claim_id', key: { dest: 1, claim_until: 1, _id: 1 } },
    // An entry enqueued twice (a retried batch) is delivered once per enqueue at most.
    { name: 'dest_kind_ref_unique', key: { dest: 1, kind: 1, ref: 1 }, unique: true },
    { name: 'claim', key: { claim: 1 } },
    // The oldest pending entry of a destination, for source health (one index key read).
    { name: 'dest_id', key: { dest: 1, _id: 1 } },
  ]);
}

const DUPLICATE_KEY = 11000;

/** Add entries, ignoring ones already pending. */
export async function enqueue(
  db: Db,
  entries: readonly { dest: OutboxDestination; kind: 'event' | 'alert'; ref: string }[],
  now: Date,
): Promise<void> {
  if (entries.length === 0) return;
  const docs: OutboxDocument[] = entries.map((entry) => ({
    _id: new ObjectId(),
    ...entry,
    claim_until: new Date(0),
    attempts: 0,
    created_at: now,
  }));
  try {
    await outboxCollection(db).insertMany(docs, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = ([] as WriteError[]).concat(error.writeErrors);
    if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
  }
}

/**
 * Claim up to `limit` deliverable entries of a destination, oldest first, for `leaseMs`. Two senders never hold
 * the same entry at once; entries whose sender died become claimable again when the lease runs out.
 */
export async function claimBatch(
  db: Db,
  dest: OutboxDestination,
  limit: number,
  now: Date,
  leaseMs: number,
): Promise<OutboxDocument[]> {
  const outbox = outboxCollection(db);
  const candidates = await outbox
    .find({ dest, claim_until: { $lte: now } }, { projection: { _id: 1 } })
    .sort({ _id: 1 })
    .limit(limit)
    .toArray();
  if (candidates.length === 0) return [];
  const claim = new ObjectId();
  await outbox.updateMany(
    { _id: { $in: candidates.map((c) => c._id) }, claim_until: { $lte: now } },
    { $set: { claim, claim_until: new Date(now.getTime() + leaseMs) } },
  );
  return outbox.find({ claim }).sort({ _id: 1 }).toArray();
}

/** Delivered: the entries go. */
export async function complete(db: Db, entries: readonly OutboxDocument[]): Promise<void> {
  await outboxCollection(db).deleteMany({ _id: { $in: entries.map((e) => e._id) } });
}

/** Not delivered: the entries become claimable again at `retryAt`. */
export async function release(db: Db, entries: readonly OutboxDocument[], retryAt: Date): Promise<void> {
  await outboxCollection(db).updateMany(
    { _id: { $in: entries.map((e) => e._id) } },
    { $set: { claim_until: retryAt }, $unset: { claim: '' }, $inc: { attempts: 1 } },
  );
}

/** Entries waiting for a destination. */
export function backlog(db: Db, dest: OutboxDestination): Promise<number> {
  return outboxCollection(db).countDocuments({ dest });
}

/** When the oldest entry waiting for a destination was queued, or null when none waits. */
export async function oldestPending(db: Db, dest: OutboxDestination): Promise<Date | null> {
  const oldest = await outboxCollection(db).findOne(
    { dest },
    { sort: { _id: 1 }, projection: { created_at: 1 } },
  );
  return oldest?.created_at ?? null;
}
