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

/** What one source did in a finished fetch, as the fetch's result reports it. */
export interface SourceOutcome {
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  fetched: number;
  inserted: number;
  updated: number;
  pages: number;
  blobs: number;
}

const FINAL_STATE: Record<SourceOutcome['status'], SourceProgressView['state']> = {
  ok: 'done',
  partial: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

/**
 * The per-source progress of a finished fetch, from its result: the stream and the fetch's answer travel
 * apart, so the last snapshot received may predate the end, and the result's figures are the final word.
 */
export function finalProgress(
  last: Partial<Record<string, SourceProgressView>>,
  outcomes: Partial<Record<string, SourceOutcome>>,
): Partial<Record<string, SourceProgressView>> {
  const final: Partial<Record<string, SourceProgressView>> = { ...last };
  for (const [source, outcome] of Object.entries(outcomes)) {
    if (!outcome) continue;
    final[source] = {
      state: FINAL_STATE[outcome.status],
      pages: outcome.pages,
      blobs: outcome.blobs,
      events_fetched: outcome.fetched,
      events_stored: outcome.inserted + outcome.updated,
    };
  }
  return final;
}
