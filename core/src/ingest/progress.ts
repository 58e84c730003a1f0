import type { Source } from '../events/model.js';
import type { FetchProgress, SourceProgress } from './schemas.js';

/** The progress of one run, updated by the source runners and observed by `onProgress`. */
export interface ProgressTracker {
  snapshot(): FetchProgress;
  update(source: Source, change: (progress: SourceProgress) => void): void;
}

export function createProgress(
  runId: string,
  startedAt: Date,
  sources: readonly Source[],
  /** Called on every change with a way to take a snapshot, so nobody pays for copies nobody reads. */
  onChange?: (snapshot: () => FetchProgress) => void,
): ProgressTracker {
  const state: FetchProgress = {
    run_id: runId,
    started_at: startedAt.toISOString(),
    sources: Object.fromEntries(
      sources.map((source) => [
        source,
        { state: 'pending', pages: 0, blobs: 0, events_fetched: 0, events_stored: 0 },
      ]),
    ),
  };
  const snapshot = (): FetchProgress => structuredClone(state);
  return {
    snapshot,
    update(source, change) {
      const current = state.sources[source];
      if (!current) return;
      change(current);
      onChange?.(snapshot);
    },
  };
}
