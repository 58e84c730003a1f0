import { A, useNavigate, useSearchParams } from '@solidjs/router';
import {
  For,
  Show,
  createEffect,
  createMemo,
  createResource,
  createSignal,
  on,
  onCleanup,
  onMount,
} from 'solid-js';
import { EventsTable, type EventRow } from '../components/events-table.js';
import { ExportLinks } from '../components/export-links.js';
import { Facets } from '../components/facets.js';
import { FilterBar, type FilterOptions } from '../components/filter-bar.js';
import { Histogram } from '../components/histogram.js';
import { createPagedList } from '../components/paged-list.js';
import { AsyncView, Empty, ErrorState } from '../components/states.js';
import {
  EMPTY_FILTERS,
  FIELDS,
  PAGE_SIZES,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  toQuery,
  withRange,
  type EventFilters,
  type Field,
} from '../lib/filters.js';
import { formatCount } from '../lib/format.js';
import { toBuckets } from '../lib/histogram.js';
import { facetsFromSummary, type ValueCount } from '../lib/summary.js';
import { useApi, useFeatures } from '../providers/api.js';

const SOURCES = ['directory', 'intune', 'unified'];
const values = (list: ValueCount[]) => list.map((v) => v.value);
// The summary answers with daily bars up to 120 days (hourly up to 3), weekly beyond.
const DAILY_LIMIT_MS = 120 * 86_400_000;

function sameFilters(a: EventFilters, b: EventFilters): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The Events screen: filters in the URL, histogram, facets, the table and its pagination. */
export default function EventsPage() {
  const api = useApi();
  const features = useFeatures();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => filtersFromSearch(params), EMPTY_FILTERS, { equals: sameFilters });
  const update = (next: EventFilters) => setParams(filtersToSearch(next));
  const [refreshes, setRefreshes] = createSignal(0);
  // Relative presets are pinned to the moment the filters (or a refresh) asked, so the list, the histogram and
  // the facets describe the same window.
  const view = createMemo(() => {
    refreshes();
    return { filters: filters(), now: new Date() };
  });

  const list = createPagedList<{ filters: EventFilters; now: Date }, EventRow>(view, (v, cursor, signal) =>
    api.events.search.query(
      { ...toQuery(v.filters, v.now), page_size: v.filters.pageSize, ...(cursor ? { cursor } : {}) },
      { signal },
    ),
  );

  let summaryController: AbortController | undefined;
  // The table comes first: the histogram, facets and filter options start once the first page is in, so on
  // a busy database their heavier aggregations never delay the rows a user is waiting for.
  const [tableShown, setTableShown] = createSignal(false);
  createEffect(() => {
    if (!list.loading()) setTableShown(true);
  });
  const [summary, { refetch: refetchSummary }] = createResource(
    () => tableShown() && view(),
    async (v) => {
      summaryController?.abort();
      summaryController = new AbortController();
      const signal = summaryController.signal;
      const { start, end, ...rest } = toQuery(v.filters, v.now);
      if (start)
        return api.events.summary.query(
          { start, ...(end ? { end } : {}), top: 8, filters: rest },
          { signal },
        );
      // "All": the first answer (weekly bars over ten years) shows where the data begins; when that is recent
      // enough for daily bars, ask again from there so the histogram has a useful resolution.
      const wide = await api.events.summary.query({ days: 3650, top: 8, filters: rest }, { signal });
      const first = toBuckets(wide.histogram, true)[0];
      if (!first || v.now.getTime() - first.start > DAILY_LIMIT_MS) return wide;
      return api.events.summary.query(
        { start: new Date(first.start).toISOString(), end: v.now.toISOString(), top: 8, filters: rest },
        { signal },
      );
    },
  );
  onCleanup(() => summaryController?.abort());

  const [options] = createResource(tableShown, async (): Promise<FilterOptions> => {
    const o = await api.events.filterOptions.query();
    return {
      service: values(o.services),
      operation: values(o.operations),
      result: values(o.results),
      actor: values(o.actors),
      source: SOURCES,
    };
  });

  const buckets = createMemo(() => toBuckets(summary.latest?.histogram, filters().preset === 'all'));
  const total = () => summary.latest?.total ?? null;
  const askLink = () => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(filtersToSearch(filters()))) if (v !== undefined) search.set(k, v);
    // The default range is left out of event links; a question must still carry it.
    search.set('range', filters().preset);
    return `/ask?${search.toString()}`;
  };

  const [selected, setSelected] = createSignal(-1);
  createEffect(on(view, () => setSelected(-1), { defer: true }));
  const open = (event: EventRow) => navigate(`/events/${encodeURIComponent(event._id)}`);

  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    const typing =
      target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (event.key === '/' && !typing) {
      event.preventDefault();
      document.getElementById('search')?.focus();
    }
  };
  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => document.removeEventListener('keydown', onKey));

  const toggleFacet = (field: string, value: string) => {
    const f = filters();
    if (field === 'tags') {
      const tags = f.tags.includes(value) ? f.tags.filter((t) => t !== value) : [...f.tags, value];
      update({ ...f, tags });
    } else if ((FIELDS as readonly string[]).includes(field)) {
      const key = field as Field;
      update({ ...f, [key]: f[key] === value ? '' : value });
    }
  };
  const facetActive = (field: string, value: string) =>
    field === 'tags'
      ? filters().tags.includes(value)
      : (FIELDS as readonly string[]).includes(field) && filters()[field as Field] === value;

  return (
    <div class="events-screen">
      <div class="row">
        <h1>Events</h1>
        <span class="spacer" />
        <span class="muted" aria-live="polite" data-testid="result-count">
          <Show when={!list.loading()} fallback="Loading…">
            {formatCount(list.items().length)} shown
            <Show when={total() !== null}> of {formatCount(total() ?? 0)} matching</Show>
          </Show>
        </span>
        <Show when={features().ai}>
          <A class="button-link" href={askLink()}>
            Ask about these events
          </A>
        </Show>
        <button type="button" onClick={() => setRefreshes(refreshes() + 1)}>
          Refresh
        </button>
        <ExportLinks filters={filters()} now={view().now} />
      </div>
      <FilterBar filters={filters()} options={options.latest ?? { source: SOURCES }} onChange={update} />
      <Show when={summary.error as unknown}>
        {(error) => (
          <ErrorState
            what="Loading the histogram and facets"
            error={error()}
            onRetry={() => void refetchSummary()}
          />
        )}
      </Show>
      <Show when={buckets().length > 0}>
        <Histogram buckets={buckets()} onZoom={(start, end) => update(withRange(filters(), start, end))} />
      </Show>
      <div class="events-layout">
        <Facets facets={facetsFromSummary(summary.latest)} active={facetActive} onToggle={toggleFacet} />
        <section aria-label="Matching events">
          <AsyncView
            loading={list.loading()}
            loadingLabel="Loading events…"
            error={list.items().length === 0 ? list.error() : undefined}
            what="Loading events"
            onRetry={list.retry}
            isEmpty={list.items().length === 0}
            empty={
              <Empty title="No events match these filters.">
                <Show
                  when={hasFilters(filters())}
                  fallback={
                    <p>
                      Nothing has been ingested yet. <A href="/sources">Fetch from the sources</A>.
                    </p>
                  }
                >
                  <button type="button" onClick={() => update(EMPTY_FILTERS)}>
                    Clear all filters
                  </button>
                </Show>
              </Empty>
            }
            value={list.items()}
          >
            {(items) => (
              <>
                <EventsTable events={items()} selected={selected()} onSelect={setSelected} onOpen={open} />
                <Show when={list.error() !== undefined}>
                  <ErrorState what="Loading more events" error={list.error()} onRetry={list.retry} />
                </Show>
                <div class="row pager">
                  <Show when={list.hasMore()}>
                    <button type="button" onClick={list.loadMore} disabled={list.loadingMore()}>
                      {list.loadingMore() ? 'Loading…' : 'Load more'}
                    </button>
                  </Show>
                  <Show when={!list.hasMore()}>
                    <span class="muted">End of results.</span>
                  </Show>
                  <span class="spacer" />
                  <label for="page-size">Page size</label>
                  <select
                    id="page-size"
                    value={filters().pageSize}
                    onChange={(e) => update({ ...filters(), pageSize: Number(e.currentTarget.value) })}
                  >
                    <For each={PAGE_SIZES}>{(size) => <option value={size}>{size}</option>}</For>
                  </select>
                </div>
              </>
            )}
          </AsyncView>
        </section>
      </div>
    </div>
  );
}
