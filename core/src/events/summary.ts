import type { Document } from 'mongodb';
import { ValidationError } from '../errors.js';
import { eventsCollection } from '../store/collections.js';
import type { EventsContext } from './context.js';
import type { ValueCount } from './filter-options.js';
import { buildEventFilter } from './query.js';
import { parseInput, SummaryInput } from './schemas.js';
import type { EventFilters, SummaryRequest } from './schemas.js';

export type HistogramBucket = 'hour' | 'day' | 'week';

/** Counts of the events in a time range: totals, top values per field, and a histogram over time. */
export interface EventSummary {
  start: string;
  end: string;
  total: number;
  by_service: ValueCount[];
  by_operation: ValueCount[];
  by_result: ValueCount[];
  by_actor: ValueCount[];
  /** Events per source (unified, intune); events without one count as "(none)". */
  by_source: ValueCount[];
  /** Events per tag (an event counts once for each of its tags); untagged events are not counted. */
  by_tag: ValueCount[];
  histogram: { bucket: HistogramBucket; buckets: { start: string; count: number }[] };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
// 1970-01-01 was a Thursday: weeks start on the Monday four days later.
const MONDAY_OFFSET = 4 * DAY;

const BUCKETS: Record<HistogramBucket, { size: number; offset: number }> = {
  hour: { size: HOUR, offset: 0 },
  day: { size: DAY, offset: 0 },
  week: { size: WEEK, offset: MONDAY_OFFSET },
};

/** The bucket size for a range: hours up to 3 days, days up to 120 days, weeks beyond (≤ ~130 bars per year). */
export function chooseBucket(spanMs: number): HistogramBucket {
  if (spanMs <= 3 * DAY) return 'hour';
  if (spanMs <= 120 * DAY) return 'day';
  return 'week';
}

function bucketStart(ms: number, bucket: HistogramBucket): number {
  const { size, offset } = BUCKETS[bucket];
  return ms - ((((ms - offset) % size) + size) % size);
}

const NONE = '(none)';

function label(value: unknown): string {
  if (value === null || value === undefined) return NONE;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function topValues(ctx: Pick<EventsContext, 'db'>, match: Document, field: string, top: number) {
  const rows = await eventsCollection(ctx.db)
    .aggregate<{ _id: unknown; count: number }>([
      { $match: match },
      { $group: { _id: `$${field}`, count: { $sum: 1 } } },
      { $sort: { count: -1, _id: 1 } },
      { $limit: top },
    ])
    .toArray();
  return rows.map((row) => ({ value: label(row._id), count: row.count }));
}

// Tags are an array: unwinding counts each event once per tag, and untagged events drop out instead of
// surfacing as a "(none)" value nobody can filter on.
async function topTags(ctx: Pick<EventsContext, 'db'>, match: Document, top: number) {
  const rows = await eventsCollection(ctx.db)
    .aggregate<{ _id: unknown; count: number }>([
      { $match: match },
      { $project: { _id: 0, tags: 1 } },
      { $unwind: '$tags' },
      { $group: { _id: '$tags', count: { $sum: 1 } } },
      { $sort: { count: -1, _id: 1 } },
      { $limit: top },
    ])
    .toArray();
  return rows.map((row) => ({ value: label(row._id), count: row.count }));
}

async function histogram(ctx: Pick<EventsContext, 'db'>, match: Document, start: Date, end: Date) {
  const bucket = chooseBucket(end.getTime() - start.getTime());
  const { size, offset } = BUCKETS[bucket];
  // Epoch milliseconds arithmetic instead of $dateTrunc: the same on every MongoDB version and on the sim.
  const ms = { $toLong: '$timestamp' };
  const rows = await eventsCollection(ctx.db)
    .aggregate<{ _id: number; count: number }>([
      { $match: match },
      {
        $group: {
          _id: { $subtract: [ms, { $mod: [{ $subtract: [ms, offset] }, size] }] },
          count: { $sum: 1 },
        },
      },
    ])
    .toArray();
  const counts = new Map(rows.map((row) => [Number(row._id), row.count]));
  const buckets: { start: string; count: number }[] = [];
  for (let at = bucketStart(start.getTime(), bucket); at <= end.getTime(); at += size) {
    buckets.push({ start: new Date(at).toISOString(), count: counts.get(at) ?? 0 });
  }
  return { bucket, buckets };
}

/**
 * `summary(input)`: how many events match the filters in a time range, the top values of service, operation,
 * result, actor, source and tag (tags unwound: an event counts once per tag), and a histogram whose bucket (hour, day or week) suits the range, empty buckets included.
 * The range is `start`..`end` (default now) or the `days` (default 7) before `end` (see `SummaryInput`).
 */
export async function summarizeEvents(
  ctx: Pick<EventsContext, 'db' | 'clock'>,
  request: SummaryRequest = {},
): Promise<EventSummary> {
  const input = parseInput(SummaryInput, request);
  const filters: Partial<EventFilters> = input.filters ?? {};
  const end = input.end ?? filters.end ?? ctx.clock();
  const start = input.start ?? filters.start ?? new Date(end.getTime() - input.days * DAY);
  if (start > end) {
    throw new ValidationError('Invalid input: start: start must not be after end', {
      details: [{ path: 'start', message: 'start must not be after end' }],
    });
  }
  const match = buildEventFilter({ ...filters, start, end });
  const [total, by_service, by_operation, by_result, by_actor, by_source, by_tag, hist] = await Promise.all([
    eventsCollection(ctx.db).countDocuments(match),
    topValues(ctx, match, 'service', input.top),
    topValues(ctx, match, 'operation', input.top),
    topValues(ctx, match, 'result', input.top),
    topValues(ctx, match, 'actor_display', input.top),
    topValues(ctx, match, 'source', input.top),
    topTags(ctx, match, input.top),
    histogram(ctx, match, start, end),
  ]);
  return {
    start: start.toISOString(),
    end: end.toISOString(),
    total,
    by_service,
    by_operation,
    by_result,
    by_actor,
    by_source,
    by_tag,
    histogram: hist,
  };
}
