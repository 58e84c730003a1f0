import type { SourceProgressView } from './fetch-progress.js';

export type SourcesProgress = Partial<Record<string, SourceProgressView>>;

/** A snapshot of the progress stream: the running fetch, or null when none runs. */
export interface StreamedProgress {
  run_id: string;
  sources: SourcesProgress;
}

/**
 * The fetch the Sources page shows: one started here (`running`, then `done` from its result), one started
 * elsewhere — the scheduler, a webhook, the REST API or another tab — that the page only watches (`watching`,
 * then `done` with `elsewhere`), or none.
 */
export type Run =
  | { kind: 'idle' }
  | { kind: 'running'; sources: SourcesProgress; runId?: string }
  | { kind: 'watching'; sources: SourcesProgress; runId: string }
  | {
      kind: 'done';
      sources: SourcesProgress;
      count: number;
      warnings: string[];
      elsewhere: boolean;
      runId?: string;
    }
  | { kind: 'error'; error: unknown };

/** The page's run after a snapshot of the progress stream. */
export function withProgress(run: Run, progress: StreamedProgress | null): Run {
  if (progress === null) {
    if (run.kind !== 'watching') return run;
    const stored = Object.values(run.sources).reduce((sum, source) => sum + (source?.events_stored ?? 0), 0);
    return {
      kind: 'done',
      sources: run.sources,
      count: stored,
      warnings: [],
      elsewhere: true,
      runId: run.runId,
    };
  }
  const { run_id: runId, sources } = progress;
  if (run.kind === 'running') return { ...run, sources, runId };
  // The stream and the fetch's answer travel apart: a snapshot of our own run can arrive after its result.
  if (run.kind === 'done' && run.runId === runId) return run;
  return { kind: 'watching', sources, runId };
}
