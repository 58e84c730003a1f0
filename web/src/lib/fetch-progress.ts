/** Live progress of one source, as the API streams it. */
export interface SourceProgressView {
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  pages: number;
  blobs: number;
  events_fetched: number;
  events_stored: number;
}

/** What the progress bar shows for a running fetch. */
export interface ProgressSummary {
  /** 0..1: the share of sources that finished (sources report no totals, so this is the honest measure). */
  fraction: number;
  finishedSources: number;
  totalSources: number;
  eventsFetched: number;
  eventsStored: number;
  failed: string[];
  complete: boolean;
}

const FINISHED = new Set<SourceProgressView['state']>(['done', 'failed', 'skipped']);

/**
 * Condenses per-source progress into one bar. A running source counts as half done so the bar moves as soon
 * as work starts; the bar reaches 1 only when every source has finished.
 */
export function summarizeProgress(sources: Partial<Record<string, SourceProgressView>>): ProgressSummary {
  const entries = Object.entries(sources).filter(
    (e): e is [string, SourceProgressView] => e[1] !== undefined,
  );
  let finished = 0;
  let weight = 0;
  let fetched = 0;
  let stored = 0;
  const failed: string[] = [];
  for (const [name, p] of entries) {
    fetched += p.events_fetched;
    stored += p.events_stored;
    if (FINISHED.has(p.state)) {
      finished += 1;
      weight += 1;
    } else if (p.state === 'running') weight += 0.5;
    if (p.state === 'failed') failed.push(name);
  }
  const total = entries.length;
  return {
    fraction: total ? weight / total : 0,
    finishedSources: finished,
    totalSources: total,
    eventsFetched: fetched,
    eventsStored: stored,
    failed,
    complete: total > 0 && finished === total,
  };
}
