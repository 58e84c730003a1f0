import { For, Show } from 'solid-js';
import { PRESETS, PRESET_LABELS, type EventFilters, type Preset } from '../lib/filters.js';
import { fromLocalInput, toLocalInput } from '../lib/time-input.js';

/** Time presets as a button group, plus start/end inputs when the range is custom. */
export function TimeRange(props: { filters: EventFilters; onChange: (next: EventFilters) => void }) {
  const choose = (preset: Preset) => {
    if (preset === 'custom') {
      // Switching to custom starts from the window being looked at, so the user edits rather than retypes.
      const now = Date.now();
      const end = props.filters.end || new Date(now).toISOString();
      const start = props.filters.start || new Date(now - 86_400_000).toISOString();
      props.onChange({ ...props.filters, preset, start, end });
    } else {
      props.onChange({ ...props.filters, preset, start: '', end: '' });
    }
  };
  return (
    <div class="field time-range">
      <span id="range-label">
        <label>Time range</label>
      </span>
      <div class="row">
        <div class="presets" role="group" aria-labelledby="range-label">
          <For each={PRESETS}>
            {(preset) => (
              <button
                type="button"
                aria-pressed={props.filters.preset === preset}
                onClick={() => choose(preset)}
              >
                {PRESET_LABELS[preset]}
              </button>
            )}
          </For>
        </div>
        <Show when={props.filters.preset === 'custom'}>
          <label for="range-start">From</label>
          <input
            id="range-start"
            type="datetime-local"
            value={toLocalInput(props.filters.start)}
            onChange={(e) =>
              props.onChange({ ...props.filters, start: fromLocalInput(e.currentTarget.value) })
            }
          />
          <label for="range-end">to</label>
          <input
            id="range-end"
            type="datetime-local"
            value={toLocalInput(props.filters.end)}
            onChange={(e) => props.onChange({ ...props.filters, end: fromLocalInput(e.currentTarget.value) })}
          />
        </Show>
      </div>
    </div>
  );
}
