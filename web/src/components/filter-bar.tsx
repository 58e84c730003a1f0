import { For, Show } from 'solid-js';
import { FIELDS, type EventFilters, type Field } from '../lib/filters.js';
import { SearchBox } from './search-box.js';
import { TimeRange } from './time-range.js';

/** The values each filter field offers, as the API's filter options list them. */
export type FilterOptions = Partial<Record<Field, string[]>>;

const LABELS: Record<Field, string> = {
  service: 'Service',
  operation: 'Operation',
  result: 'Result',
  actor: 'Actor',
  source: 'Source',
};

/** All filters of the Events screen; every change goes to `onChange` (which writes the URL). */
export function FilterBar(props: {
  filters: EventFilters;
  options: FilterOptions;
  onChange: (next: EventFilters) => void;
}) {
  const set = (field: Field, value: string) => props.onChange({ ...props.filters, [field]: value });
  return (
    <form class="filter-panel" role="search" aria-label="Event filters" onSubmit={(e) => e.preventDefault()}>
      <div class="filters">
        <SearchBox
          value={props.filters.search}
          onSearch={(search) => props.onChange({ ...props.filters, search })}
        />
        <For each={FIELDS}>
          {(field) => (
            <div class="field">
              <label for={`filter-${field}`}>{LABELS[field]}</label>
              <Show
                when={field !== 'actor'}
                fallback={
                  <>
                    <input
                      id="filter-actor"
                      list="actor-options"
                      value={props.filters.actor}
                      placeholder="Any actor"
                      onChange={(e) => set('actor', e.currentTarget.value.trim())}
                    />
                    <datalist id="actor-options">
                      <For each={props.options.actor ?? []}>{(value) => <option value={value} />}</For>
                    </datalist>
                  </>
                }
              >
                <select
                  id={`filter-${field}`}
                  value={props.filters[field]}
                  onChange={(e) => set(field, e.currentTarget.value)}
                >
                  <option value="">Any</option>
                  <Show
                    when={
                      props.filters[field] && !(props.options[field] ?? []).includes(props.filters[field])
                    }
                  >
                    <option value={props.filters[field]}>{props.filters[field]}</option>
                  </Show>
                  <For each={props.options[field] ?? []}>
                    {(value) => <option value={value}>{value}</option>}
                  </For>
                </select>
              </Show>
            </div>
          )}
        </For>
        <div class="field">
          <label for="filter-tags">Tags</label>
          <input
            id="filter-tags"
            list="tag-options"
            placeholder="e.g. investigating"
            value={props.filters.tags.join(', ')}
            onChange={(e) =>
              props.onChange({
                ...props.filters,
                tags: [
                  ...new Set(
                    e.currentTarget.value
                      .split(',')
                      .map((t) => t.trim())
                      .filter(Boolean),
                  ),
                ],
              })
            }
          />
          <datalist id="tag-options">
            <option value="investigating" />
            <option value="false_positive" />
            <option value="escalated" />
          </datalist>
        </div>
      </div>
      <TimeRange filters={props.filters} onChange={props.onChange} />
    </form>
  );
}
