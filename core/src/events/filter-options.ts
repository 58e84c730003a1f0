import { eventsCollection } from '../store/collections.js';
import type { EventsContext } from './context.js';

/** One distinct value of a field and how many of the sampled events carry it. */
export interface ValueCount {
  value: string;
  count: number;
}

/** Values for the console's filter dropdowns, most frequent first. */
export interface FilterOptions {
  services: ValueCount[];
  operations: ValueCount[];
  results: ValueCount[];
  actors: ValueCount[];
  sources: ValueCount[];
  tags: ValueCount[];
}

/** How many of the newest events the options are drawn from: bounded work however large the collection. */
export const FILTER_OPTIONS_WINDOW = 20_000;
const MAX_VALUES_PER_FIELD = 500;
const CACHE_MS = 30_000;

interface Sampled {
  service?: unknown;
  operation?: unknown;
  result?: unknown;
  actor_display?: unknown;
  source?: unknown;
  tags?: unknown;
}

function ranked(counts: Map<string, number>): ValueCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, MAX_VALUES_PER_FIELD);
}

function tally(counts: Map<string, number>, value: unknown): void {
  if (typeof value === 'string' && value.length > 0) counts.set(value, (counts.get(value) ?? 0) + 1);
}

async function computeFilterOptions(ctx: Pick<EventsContext, 'db'>): Promise<FilterOptions> {
  const docs = (await eventsCollection(ctx.db)
    .find(
      {},
      { projection: { _id: 0, service: 1, operation: 1, result: 1, actor_display: 1, source: 1, tags: 1 } },
    )
    .sort({ timestamp: -1, _id: -1 })
    .limit(FILTER_OPTIONS_WINDOW)
    .toArray()) as Sampled[];
  const fields = ['service', 'operation', 'result', 'actor_display', 'source'] as const;
  const counts = Object.fromEntries(fields.map((field) => [field, new Map<string, number>()])) as Record<
    (typeof fields)[number],
    Map<string, number>
  >;
  const tags = new Map<string, number>();
  for (const doc of docs) {
    for (const field of fields) tally(counts[field], doc[field]);
    if (Array.isArray(doc.tags)) for (const tag of doc.tags as unknown[]) tally(tags, tag);
  }
  return {
    services: ranked(counts.service),
    operations: ranked(counts.operation),
    results: ranked(counts.result),
    actors: ranked(counts.actor_display),
    sources: ranked(counts.source),
    tags: ranked(tags),
  };
}

/**
 * `filterOptions()`: distinct values with counts for each filterable field, best effort and cheap — drawn from
 * the newest 20,000 events through the (timestamp, _id) index, and cached for 30 s so a busy console costs one
 * query per half minute. Concurrent callers share one computation.
 */
export function createFilterOptions(ctx: Pick<EventsContext, 'db' | 'clock'>): () => Promise<FilterOptions> {
  let cached: { at: number; value: Promise<FilterOptions> } | undefined;
  return () => {
    const now = ctx.clock().getTime();
    if (cached && now - cached.at < CACHE_MS) return cached.value;
    const value = computeFilterOptions(ctx);
    const entry = { at: now, value };
    cached = entry;
    // A failed computation must not be served from the cache.
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}
