import { describe, expect, it } from 'vitest';
import { finalProgress, summarizeProgress, type SourceProgressView } from './fetch-progress.js';

const p = (state: SourceProgressView['state'], fetched = 0, stored = 0): SourceProgressView => ({
  state,
  pages: 0,
  blobs: 0,
  events_fetched: fetched,
  events_stored: stored,
});

describe('summarizeProgress', () => {
  it('moves as sources start and finish, and sums the counts', () => {
    const s = summarizeProgress({
      directory: p('done', 10, 8),
      intune: p('running', 5, 5),
      unified: p('pending'),
    });
    expect(s.fraction).toBeCloseTo(0.5);
    expect(s).toMatchObject({
      finishedSources: 1,
      totalSources: 3,
      eventsFetched: 15,
      eventsStored: 13,
      complete: false,
    });
  });

  it('is complete only when every source finished, and names the failures', () => {
    const s = summarizeProgress({ directory: p('done'), intune: p('failed'), unified: p('skipped') });
    expect(s).toMatchObject({ fraction: 1, complete: true, failed: ['intune'] });
  });

  it('shows nothing before any source reports', () => {
    expect(summarizeProgress({})).toMatchObject({ fraction: 0, complete: false, totalSources: 0 });
  });
});

describe('finalProgress', () => {
  it('completes the bar from the fetch result even when the last snapshot lagged', () => {
    const last = { directory: p('done', 3, 3), intune: p('running', 1, 0) };
    const final = finalProgress(last, {
      intune: { status: 'partial', fetched: 4, inserted: 2, updated: 1, pages: 2, blobs: 0 },
      unified: { status: 'failed', fetched: 0, inserted: 0, updated: 0, pages: 0, blobs: 0 },
    });
    expect(final.intune).toEqual({ state: 'done', pages: 2, blobs: 0, events_fetched: 4, events_stored: 3 });
    expect(summarizeProgress(final)).toMatchObject({ complete: true, fraction: 1, failed: ['unified'] });
  });
});
