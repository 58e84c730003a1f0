import { describe, expect, it } from 'vitest';
import { maxCount, rangeFromPixels, toBuckets } from './histogram.js';

const H = 3_600_000;

describe('toBuckets', () => {
  it('turns the summary histogram into bars of the right width', () => {
    const bars = toBuckets(
      {
        bucket: 'day',
        buckets: [
          { start: '2026-11-20T00:00:00.000Z', count: 0 },
          { start: '2026-11-21T00:00:00.000Z', count: 4 },
        ],
      },
      false,
    );
    expect(bars).toEqual([
      { start: Date.parse('2026-11-20T00:00:00Z'), end: Date.parse('2026-11-21T00:00:00Z'), count: 0 },
      { start: Date.parse('2026-11-21T00:00:00Z'), end: Date.parse('2026-11-22T00:00:00Z'), count: 4 },
    ]);
    expect(maxCount(bars)).toBe(4);
  });

  it('trims empty edges but keeps gaps inside the data', () => {
    const counts = [0, 0, 2, 0, 3, 0];
    const histogram = {
      bucket: 'hour' as const,
      buckets: counts.map((count, i) => ({ start: new Date(i * H).toISOString(), count })),
    };
    expect(toBuckets(histogram, true).map((b) => b.count)).toEqual([2, 0, 3]);
    expect(toBuckets(histogram, false)).toHaveLength(6);
    expect(
      toBuckets({ bucket: 'week', buckets: [{ start: new Date(0).toISOString(), count: 0 }] }, true),
    ).toEqual([]);
    expect(toBuckets(undefined, false)).toEqual([]);
  });
});

describe('rangeFromPixels', () => {
  const buckets = Array.from({ length: 10 }, (_, i) => ({ start: i * H, end: (i + 1) * H, count: i }));

  it('a click selects exactly the bar under the pointer', () => {
    expect(rangeFromPixels(buckets, 0.25, 0.25, 1)).toEqual({ start: 2 * H, end: 3 * H });
  });

  it('a drag in either direction snaps out to whole bars, clamped to the chart', () => {
    expect(rangeFromPixels(buckets, 75, 15, 100)).toEqual({ start: H, end: 8 * H });
    expect(rangeFromPixels(buckets, -20, 500, 100)).toEqual({ start: 0, end: 10 * H });
  });

  it('has nothing to select without bars', () => {
    expect(rangeFromPixels([], 0, 10, 100)).toBeNull();
    expect(maxCount([])).toBe(1);
  });
});
