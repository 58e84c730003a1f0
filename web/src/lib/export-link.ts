import { toQuery, type EventFilters } from './filters.js';

export type ExportFormat = 'csv' | 'ndjson';

/**
 * The REST export URL for the current filters. The relative range is pinned at `now`, so the downloaded file
 * matches what the screen shows even if the link is used a little later.
 */
export function exportUrl(format: ExportFormat, filters: EventFilters, now: Date): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(toQuery(filters, now))) {
    if (Array.isArray(value)) for (const item of value as string[]) params.append(key, item);
    else if (typeof value === 'string') params.set(key, value);
  }
  return `/api/events/export?${params.toString()}`;
}
