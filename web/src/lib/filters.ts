/**
 * Time presets of the Events screen; `all` means no time bound, `custom` uses start/end. The default is 7 days:
 * what a scheduled fetch keeps fresh, and a window every query answers quickly.
 */
export const PRESETS = ['1h', '24h', '7d', '30d', 'all', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_LABELS: Record<Preset, string> = {
  '1h': '1 h',
  '24h': '24 h',
  '7d': '7 d',
  '30d': '30 d',
  all: 'All',
  custom: 'Custom',
};

const PRESET_MS: Record<Exclude<Preset, 'all' | 'custom'>, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const DEFAULT_PRESET: Preset = '7d';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** The single-valued filter fields, in the order the filter bar shows them. */
export const FIELDS = ['service', 'operation', 'result', 'actor', 'source'] as const;
export type Field = (typeof FIELDS)[number];

/** Everything that selects events on the Events screen; the URL holds exactly this. */
export interface EventFilters {
  service: string;
  operation: string;
  result: string;
  actor: string;
  source: string;
  tags: string[];
  preset: Preset;
  /** ISO instants, only meaningful with the `custom` preset. */
  start: string;
  end: string;
  search: string;
  pageSize: number;
}

export const EMPTY_FILTERS: EventFilters = {
  service: '',
  operation: '',
  result: '',
  actor: '',
  source: '',
  tags: [],
  preset: DEFAULT_PRESET,
  start: '',
  end: '',
  search: '',
  pageSize: DEFAULT_PAGE_SIZE,
};

/** URL search parameters as the router hands them over (repeated keys arrive as arrays). */
export type SearchRecord = Partial<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string {
  if (Array.isArray(value)) return value[0] ?? '';
  return value ?? '';
}

function validIso(value: string): string {
  return value !== '' && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : '';
}

/**
 * Reads filters from URL parameters, ignoring anything malformed (a hand-edited or stale link still opens,
 * with the bad part dropped). A `start`/`end` without a preset implies `custom`.
 */
export function filtersFromSearch(params: SearchRecord): EventFilters {
  const filters: EventFilters = { ...EMPTY_FILTERS, tags: [] };
  for (const field of FIELDS) filters[field] = first(params[field]).trim();
  filters.tags = [
    ...new Set(
      first(params.tags)
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  filters.search = first(params.q);
  filters.start = validIso(first(params.start));
  filters.end = validIso(first(params.end));
  const range = first(params.range);
  if ((PRESETS as readonly string[]).includes(range)) filters.preset = range as Preset;
  else if (filters.start || filters.end) filters.preset = 'custom';
  if (filters.preset !== 'custom') {
    filters.start = '';
    filters.end = '';
  }
  const size = Number(first(params.size));
  filters.pageSize = (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE;
  return filters;
}

/**
 * The URL parameters for filters: defaults are left out so links stay short, and every key of the screen is
 * present (as undefined when unused) so that merging into the current URL removes stale values.
 */
export function filtersToSearch(filters: EventFilters): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const field of FIELDS) out[field] = filters[field] || undefined;
  out.tags = filters.tags.length ? filters.tags.join(',') : undefined;
  out.q = filters.search || undefined;
  out.range = filters.preset === DEFAULT_PRESET ? undefined : filters.preset;
  out.start = filters.preset === 'custom' && filters.start ? filters.start : undefined;
  out.end = filters.preset === 'custom' && filters.end ? filters.end : undefined;
  out.size = filters.pageSize === DEFAULT_PAGE_SIZE ? undefined : String(filters.pageSize);
  return out;
}

/** The absolute time window of the filters at `now` (relative presets end now). */
export function resolveRange(filters: EventFilters, now: Date): { start?: Date; end?: Date } {
  switch (filters.preset) {
    case 'all':
      return {};
    case 'custom': {
      const range: { start?: Date; end?: Date } = {};
      if (filters.start) range.start = new Date(filters.start);
      if (filters.end) range.end = new Date(filters.end);
      return range;
    }
    case '1h':
    case '24h':
    case '7d':
    case '30d':
      return { start: new Date(now.getTime() - PRESET_MS[filters.preset]), end: now };
  }
}

/** The query input the API's event search takes (core's schema), without cursor and page size. */
export interface EventQuery {
  service?: string;
  actor?: string;
  operation?: string;
  result?: string;
  source?: string;
  tags?: string[];
  start?: string;
  end?: string;
  search?: string;
}

/** Filters → the API's query shape at `now`: empty fields are omitted, times become ISO strings. */
export function toQuery(filters: EventFilters, now: Date): EventQuery {
  const query: EventQuery = {};
  for (const field of FIELDS) if (filters[field]) query[field] = filters[field];
  if (filters.tags.length) query.tags = [...filters.tags];
  const search = filters.search.trim();
  if (search) query.search = search;
  const range = resolveRange(filters, now);
  if (range.start) query.start = range.start.toISOString();
  if (range.end) query.end = range.end.toISOString();
  return query;
}

/** A zoomed window becomes a custom range (a histogram drag or bar click). */
export function withRange(filters: EventFilters, start: Date, end: Date): EventFilters {
  return { ...filters, preset: 'custom', start: start.toISOString(), end: end.toISOString() };
}

/** True when any field or text filter narrows the result (the empty state then offers to clear them). */
export function hasFilters(filters: EventFilters): boolean {
  return FIELDS.some((f) => filters[f] !== '') || filters.tags.length > 0 || filters.search.trim() !== '';
}
