import { describe, expect, it } from 'vitest';
import { summarizeProgress, type SourceProgressView } from './fetch-progress.js';

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
