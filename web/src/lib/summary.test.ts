import { describe, expect, it } from 'vitest';
import { facetsFromSummary, type SummaryView } from './summary.js';

describe('facetsFromSummary', () => {
  it('lists the breakdowns that have values, in sidebar order', () => {
    const summary: SummaryView = {
      total: 12,
      by_service: [{ value: 'Exchange', count: 10 }],
      by_operation: [],
      by_result: [{ value: 'success', count: 12 }],
      by_actor: [{ value: 'alice', count: 3 }],
      by_source: [{ value: 'unified', count: 12 }],
      by_tag: [{ value: 'escalated', count: 2 }],
      histogram: { bucket: 'hour', buckets: [] },
    };
    expect(facetsFromSummary(summary).map((f) => [f.field, f.values[0]?.value])).toEqual([
      ['service', 'Exchange'],
      ['result', 'success'],
      ['actor', 'alice'],
      ['source', 'unified'],
      ['tags', 'escalated'],
    ]);
  });

  it('has no facets before the summary arrives', () => {
    expect(facetsFromSummary(undefined)).toEqual([]);
  });
});
