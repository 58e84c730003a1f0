import { ObjectId } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import type { NormalizedEvent, Source } from '../events/model.js';
import { COLLECTIONS, eventsCollection } from '../store/collections.js';
import type { EventDocument } from '../store/collections.js';
import { ensureIndexes } from '../store/indexes.js';

/**
 * A batch whose ingestion hook (alerts, SIEM outbox) may not have run yet: written before the batch's upsert,
 * removed once its hook has succeeded. An entry left behind (the database failed, the process died) is
 * replayed: its events are loaded by dedupe key and the hook run on them.
 */
export interface JournalDocument {
  _id: ObjectId;
  source: Source;
  /** The dedupe keys of the batch, in write order. */
  keys: string[];
  created_at: Date;
  /** Claimable for replay from this time on: the safe age at first, then a replayer's claim expiry. */
  claim_until: Date;
  claim?: ObjectId;
}

export function journalCollection(db: Db): Collection<JournalDocument> {
  return db.collection<JournalDocument>(COLLECTIONS.ingestJournal);
}

/** Create the journal's index (idempotent): replay reads the entries that are claimable by now. */
export async function ensureJournalIndexes(db: Db): Promise<void> {
  await ensureIndexes(journalCollection(db) as unknown as Collection<Document>, [
    { name: 'claim_until', key: { claim_until: 1 } },
  ]);
}

/**
 * A live batch's entry must not be replayed while its own writer may still be running the hook, possibly on
 * another replica: the writer removes it within a few batches after its hook, and a hook waits at most for the
 * driver's timeouts (30 s server selection) behind a handful of others. Five minutes leaves a wide margin; a
 * replay that overlapped a live hook anyway would only repeat idempotent writes (see README, delivery).
 */
export const DEFAULT_REPLAY_AFTER_MS = 5 * 60_000;
/** How long a replayer holds an entry; one entry is one batch (at most 500 events and its hook). */
export const DEFAULT_CLAIM_MS = 5 * 60_000;
/**
 * The upsert stamps inserted events with `ingested_at` from the same clock, after the entry was written; events
 * stamped before the entry (minus this slack for a clock step) were inserted by an earlier batch that ran
 * their hook, so a replay leaves them out rather than sending them to the SIEM again.
 */
const CLOCK_SLACK_MS = 60_000;

/** The ingestion hook (siem/ingest-hook.ts); `replay` when the journal runs it again for a batch. */
export type IngestHook = (
  events: readonly NormalizedEvent[],
  options?: { replay?: boolean },
) => Promise<void>;

export interface HookJournal {
  /** Write the entry of a batch about to be upserted; resolves with its id once it is durable. */
  record(source: Source, keys: readonly string[]): Promise<ObjectId>;
  /** Remove entries whose hook succeeded. */
  remove(ids: readonly ObjectId[]): Promise<void>;
  /**
   * Replay entries older than the safe age, one at a time: claim one atomically (two replicas never hold the
   * same entry), load its events, run `hook`, remove it. Stops at the first failure (rethrown; the entry
   * stays, claimable again when its claim expires) or after `limit` entries. Returns the entries replayed.
   */
  replay(hook: IngestHook, limit?: number): Promise<number>;
}

export function createHookJournal(deps: {
  db: Db;
  clock: () => Date;
  replayAfterMs?: number;
  claimMs?: number;
}): HookJournal {
  const journal = journalCollection(deps.db);
  const replayAfterMs = deps.replayAfterMs ?? DEFAULT_REPLAY_AFTER_MS;
  const claimMs = deps.claimMs ?? DEFAULT_CLAIM_MS;

  const claim = (now: Date) =>
    journal.findOneAndUpdate(
      { claim_until: { $lte: now } },
      { $set: { claim: new ObjectId(), claim_until: new Date(now.getTime() + claimMs) } },
      { sort: { claim_until: 1 }, returnDocument: 'after' },
    );

  const eventsOf = async (entry: JournalDocument): Promise<EventDocument[]> => {
    const docs = await eventsCollection(deps.db)
      .find({
        dedupe_key: { $in: entry.keys },
        ingested_at: { $gte: new Date(entry.created_at.getTime() - CLOCK_SLACK_MS) },
      })
      .toArray();
    const order = new Map(entry.keys.map((key, i) => [key, i]));
    return docs.sort((a, b) => (order.get(a.dedupe_key) ?? 0) - (order.get(b.dedupe_key) ?? 0));
  };

  return {
    async record(source, keys) {
      const created = deps.clock();
      const _id = new ObjectId();
      await journal.insertOne({
        _id,
        source,
        keys: [...keys],
        created_at: created,
        claim_until: new Date(created.getTime() + replayAfterMs),
      });
      return _id;
    },
    async remove(ids) {
      if (ids.length > 0) await journal.deleteMany({ _id: { $in: [...ids] } });
    },
    async replay(hook, limit = 1000) {
      let replayed = 0;
      while (replayed < limit) {
        const entry = await claim(deps.clock());
        if (!entry) break;
        const events = await eventsOf(entry);
        if (events.length > 0) await hook(events, { replay: true });
        await journal.deleteOne({ _id: entry._id, claim: entry.claim });
        replayed += 1;
      }
      return replayed;
    },
  };
}
