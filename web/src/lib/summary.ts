import type { SummaryHistogram } from './histogram.js';

/** One value of a field and how many events carry it. */
export interface ValueCount {
  value: string;
  count: number;
}

/** The API's event summary, as far as the console reads it. */
export interface SummaryView {
  total: number;
  by_service: ValueCount[];
  by_operation: ValueCount[];
  by_result: ValueCount[];
  by_actor: ValueCount[];
  by_source: ValueCount[];
  by_tag: ValueCount[];
  histogram: SummaryHistogram;
}

/** Counts of the most frequent values of one filter field within the current match. */
export interface Facet {
  field: 'service' | 'operation' | 'result' | 'actor' | 'source' | 'tags';
  label: string;
  values: ValueCount[];
}

/** Facets (value counts per filter field) from a summary, in the order the sidebar shows them. */
export function facetsFromSummary(summary: SummaryView | undefined): Facet[] {
  if (!summary) return [];
  const facets: Facet[] = [
    { field: 'service', label: 'Service', values: summary.by_service },
    { field: 'operation', label: 'Operation', values: summary.by_operation },
    { field: 'result', label: 'Result', values: summary.by_result },
    { field: 'actor', label: 'Actor', values: summary.by_actor },
    { field: 'source', label: 'Source', values: summary.by_source },
    { field: 'tags', label: 'Tag', values: summary.by_tag },
  ];
  return facets.filter((facet) => facet.values.length > 0);
}
