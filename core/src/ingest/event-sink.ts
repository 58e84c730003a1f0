import type { ObjectId } from 'mongodb';
import type { ContentType, NormalizedEvent, Source } from '../events/model.js';
import type { UpsertResult } from '../store/upsert-events.js';
import type { HookJournal } from './hook-journal.js';

/** Normalizes one raw record (see normalize/); `names` are resolved display names by object id. */
export type NormalizeFn = (
  raw: Record<string, unknown>,
  source: Source,
  options: { names?: ReadonlyMap<string, string>; contentType?: ContentType },
) => NormalizedEvent;

export type UpsertFn = (batch: readonly NormalizedEvent[]) => Promise<UpsertResult>;

export interface SinkCounts {
  fetched: number;
  inserted: number;
  updated: number;
  /** Records normalization rejected (reported as a warning, never silently dropped). */
  rejected: number;
}

/**
 * One stream of records into the store. `write` normalizes a batch and starts its upsert, returning once
 * fewer than `maxInFlight` upserts are pending, so the next page is fetched and normalized while the database
 * works; `flush` resolves when everything written is durably stored, together with what the ingestion hook
 * wrote for it (alerts, outbox entries), and rethrows a failed upsert or hook. Callers flush before they move a
 * watermark or mark a blob processed.
 */
export interface BatchWriter {
  write(
    records: readonly Record<string, unknown>[],
    options: { names?: ReadonlyMap<string, string>; contentType?: ContentType },
  ): Promise<void>;
  flush(): Promise<void>;
}

/** Opens writers; each reports what it stored through `onStored`. */
export interface EventSink {
  open(source: Source, onStored: (counts: SinkCounts) => void): BatchWriter;
}

/** Journal entries removed in one round trip during a run (the rest at flush). */
const REMOVE_EVERY = 8;

export function createEventSink(deps: {
  normalize: NormalizeFn;
  upsert: UpsertFn;
  batchSize: number;
  /** Upserts one writer may have pending (default 2). */
  maxInFlight?: number;
  onInserted?: (keys: readonly string[]) => void;
  /**
   * Runs once a batch is stored, with the events it inserted: rules evaluation and the SIEM outbox. It runs
   * beside the next batches' upserts rather than before them (at most twice `maxInFlight` hooks pending), and
   * `flush` awaits it, so what it writes is durable before the caller moves a watermark past its events.
   */
  onIngested?: (events: readonly NormalizedEvent[]) => Promise<void>;
  /**
   * With `onIngested`: each batch is journaled before its upsert and removed from the journal once its hook
   * succeeded, so a batch whose hook never ran (database fault, crash) is replayed rather than lost.
   */
  journal?: Pick<HookJournal, 'record' | 'remove'>;
}): EventSink {
  const maxInFlight = deps.maxInFlight ?? 2;
  const journal = deps.onIngested ? deps.journal : undefined;
  // Hooks wait on each other (rules evaluate one batch at a time): a few more of them may queue than upserts.
  const maxHooks = 2 * maxInFlight;
  return {
    open(source, onStored) {
      const upserts = new Set<Promise<void>>();
      const hooks = new Set<Promise<void>>();
      let failure: { error: unknown } | undefined;
      const check = () => {
        if (failure) throw failure.error;
      };
      const fail = (error: unknown) => {
        failure ??= { error };
      };
      const track = (tasks: Set<Promise<void>>, work: Promise<void>) => {
        const task: Promise<void> = work.catch(fail).finally(() => tasks.delete(task));
        tasks.add(task);
      };
      // Entries whose hook succeeded, removed a few at a time (and at flush) to save round trips.
      const settled: ObjectId[] = [];
      const settle = (entry: ObjectId | undefined) => {
        if (!entry || !journal) return;
        settled.push(entry);
        if (settled.length >= REMOVE_EVERY) track(hooks, journal.remove(settled.splice(0)));
      };
      const afterStore = (
        events: NormalizedEvent[],
        insertedKeys: readonly string[],
        counts: SinkCounts,
        entry: ObjectId | undefined,
      ) => {
        if (insertedKeys.length === 0 || !deps.onIngested) {
          onStored(counts);
          settle(entry);
          return;
        }
        const inserted = new Set(insertedKeys);
        const fresh = events.filter((event) => inserted.has(event.dedupe_key));
        track(
          hooks,
          deps.onIngested(fresh).then(() => {
            onStored(counts);
            settle(entry);
          }),
        );
      };
      // Batches are handed on (counted, hooked) in the order they were written, whichever upsert ends first, so
      // rules see a stream's events in order.
      let previous: Promise<unknown> = Promise.resolve();
      // The entry is durable before the upsert starts (a batch stored without one could lose its hook); it is
      // written while the batch waits for an upsert slot, so its round trip overlaps the upserts in flight.
      const record = (events: NormalizedEvent[]): Promise<ObjectId | undefined> => {
        if (!journal || events.length === 0) return Promise.resolve(undefined);
        const entry = journal.record(source, [...new Set(events.map((event) => event.dedupe_key))]);
        // Should the writer fail before this batch's upsert, the entry is left (an empty replay) unawaited.
        entry.catch(() => undefined);
        return entry;
      };
      const store = (events: NormalizedEvent[], counts: SinkCounts, entry: Promise<ObjectId | undefined>) => {
        const upserted = entry.then(async (id) => ({ id, result: await deps.upsert(events) }));
        const stored = Promise.all([upserted, previous]).then(([{ id, result }]) => {
          counts.inserted = result.inserted;
          counts.updated = result.updated;
          if (result.insertedKeys.length > 0) deps.onInserted?.(result.insertedKeys);
          afterStore(events, result.insertedKeys, counts, id);
        });
        previous = stored.catch(() => undefined);
        track(upserts, stored);
      };
      return {
        async write(records, options) {
          for (let i = 0; i < records.length; i += deps.batchSize) {
            check();
            const slice = records.slice(i, i + deps.batchSize);
            const counts: SinkCounts = { fetched: slice.length, inserted: 0, updated: 0, rejected: 0 };
            const events: NormalizedEvent[] = [];
            for (const raw of slice) {
              try {
                events.push(deps.normalize(raw, source, options));
              } catch {
                counts.rejected += 1;
              }
            }
            const entry = record(events);
            while (upserts.size >= maxInFlight || hooks.size >= maxHooks) {
              await Promise.race([...upserts, ...hooks]);
              check();
            }
            store(events, counts, entry);
          }
        },
        async flush() {
          // A hook is added when its upsert ends: wait until neither kind is left.
          while (upserts.size + hooks.size > 0) await Promise.all([...upserts, ...hooks]);
          // Batches whose hook succeeded leave the journal even when another failed (else they would be replayed).
          if (journal && settled.length > 0) {
            const removing = journal.remove(settled.splice(0));
            await (failure ? removing.catch(() => undefined) : removing);
          }
          check();
        },
      };
    },
  };
}
