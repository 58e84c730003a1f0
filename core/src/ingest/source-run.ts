import type { Source } from '../events/model.js';
import type { SinkCounts, EventSink } from './event-sink.js';
import type { FailureKind, HealthStore } from './source-health.js';
import type { ProgressTracker } from './progress.js';
import type { SourceResult } from './schemas.js';
import type { Watermarks } from './watermarks.js';

/** Everything one source's fetch needs within a run. */
export interface SourceRun {
  source: Source;
  /** The fence of this source's lease: every watermark write carries it. */
  fence: number;
  /** The run's start: the end of every window fetched. */
  now: Date;
  hours: number | undefined;
  signal: AbortSignal;
  clock: () => Date;
  watermarks: Watermarks;
  health: HealthStore;
  sink: EventSink;
  progress: ProgressTracker;
  result: SourceResult;
  warnings: string[];
  /** The watermark this run reached (for health's lag). */
  reached?: Date;
  /** Set when the source ran but health must still say failing (a subscription is off). */
  problem?: { kind: FailureKind; message: string };
}

/** Count stored records into the result and the live progress. */
export function addCounts(
  run: SourceRun,
  counts: SinkCounts,
  unit: { pages?: number; blobs?: number },
): void {
  run.result.fetched += counts.fetched;
  run.result.inserted += counts.inserted;
  run.result.updated += counts.updated;
  run.result.pages += unit.pages ?? 0;
  run.result.blobs += unit.blobs ?? 0;
  if (counts.rejected > 0)
    run.warnings.push(`${counts.rejected} record(s) could not be normalized and were skipped`);
  run.progress.update(run.source, (p) => {
    p.events_fetched += counts.fetched;
    p.events_stored += counts.inserted + counts.updated;
    p.pages += unit.pages ?? 0;
    p.blobs += unit.blobs ?? 0;
  });
}

export function emptyResult(): SourceResult {
  return {
    status: 'ok',
    fetched: 0,
    inserted: 0,
    updated: 0,
    pages: 0,
    blobs: 0,
    from: null,
    to: null,
    error: null,
  };
}
