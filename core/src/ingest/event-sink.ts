import type { ContentType, NormalizedEvent, Source } from '../events/model.js';
import type { UpsertResult } from '../store/upsert-events.js';

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

/** Normalizes raw records and stores them in batches; the caller awaits each write before reading on. */
export interface EventSink {
  write(
    records: readonly Record<string, unknown>[],
    source: Source,
    options: { names?: ReadonlyMap<string, string>; contentType?: ContentType },
  ): Promise<SinkCounts>;
}

export function createEventSink(deps: {
  normalize: NormalizeFn;
  upsert: UpsertFn;
  batchSize: number;
  onInserted?: (keys: readonly string[]) => void;
}): EventSink {
  return {
    async write(records, source, options) {
      const counts: SinkCounts = { fetched: records.length, inserted: 0, updated: 0, rejected: 0 };
      for (let i = 0; i < records.length; i += deps.batchSize) {
        const events: NormalizedEvent[] = [];
        for (const raw of records.slice(i, i + deps.batchSize)) {
          try {
            events.push(deps.normalize(raw, source, options));
          } catch {
            counts.rejected += 1;
          }
        }
        const result = await deps.upsert(events);
        counts.inserted += result.inserted;
        counts.updated += result.updated;
        if (result.insertedKeys.length > 0) deps.onInserted?.(result.insertedKeys);
      }
      return counts;
    },
  };
}
