const HOUR = 3_600_000;

/** Bucket widths the API's summary histogram uses. */
export const BUCKET_MS = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR } as const;
export type BucketUnit = keyof typeof BUCKET_MS;

/** One bar: [start, end) in epoch milliseconds and how many events fall in it. */
export interface Bucket {
  start: number;
  end: number;
  count: number;
}

/** The histogram part of the API's event summary. */
export interface SummaryHistogram {
  bucket: BucketUnit;
  buckets: { start: string; count: number }[];
}

/**
 * Bars from the summary's histogram. With `trim`, empty bars before the first and after the last event are
 * dropped: an unbounded range ("All") would otherwise show years of nothing before the data.
 */
export function toBuckets(histogram: SummaryHistogram | undefined, trim: boolean): Bucket[] {
  if (!histogram) return [];
  const size = BUCKET_MS[histogram.bucket];
  let bars = histogram.buckets
    .map((b) => ({ start: Date.parse(b.start), count: b.count }))
    .filter((b) => Number.isFinite(b.start))
    .map((b) => ({ start: b.start, end: b.start + size, count: b.count }));
  if (trim) {
    const first = bars.findIndex((b) => b.count > 0);
    if (first < 0) return [];
    const last = bars.length - 1 - [...bars].reverse().findIndex((b) => b.count > 0);
    bars = bars.slice(first, last + 1);
  }
  return bars;
}

/**
 * The time range selected by dragging from `x0` to `x1` across `width` (any unit) of bars, snapped out to
 * whole buckets, so a click on one bar selects exactly that bar.
 */
export function rangeFromPixels(
  buckets: readonly Bucket[],
  x0: number,
  x1: number,
  width: number,
): { start: number; end: number } | null {
  if (buckets.length === 0 || width <= 0) return null;
  const clamp = (x: number) =>
    Math.min(buckets.length - 1, Math.max(0, Math.floor((x / width) * buckets.length)));
  const a = buckets[clamp(Math.min(x0, x1))];
  const b = buckets[clamp(Math.max(x0, x1))];
  if (!a || !b) return null;
  return { start: a.start, end: b.end };
}

/** The tallest bar, never below 1 so scaling never divides by zero. */
export function maxCount(buckets: readonly Bucket[]): number {
  return buckets.reduce((max, b) => Math.max(max, b.count), 1);
}
