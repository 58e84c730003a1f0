import { For, Show } from 'solid-js';
import { formatCount } from '../lib/format.js';
import type { Facet } from '../lib/summary.js';

/** Facet lists; clicking a value filters on it, clicking the active value clears that filter. */
export function Facets(props: {
  facets: Facet[];
  active: (field: string, value: string) => boolean;
  onToggle: (field: string, value: string) => void;
}) {
  return (
    <aside class="facets" aria-label="Facet counts">
      <For each={props.facets}>
        {(facet) => (
          <Show when={facet.values.length > 0}>
            <section>
              <h3 id={`facet-${facet.field}`}>{facet.label}</h3>
              <ul aria-labelledby={`facet-${facet.field}`}>
                <For each={facet.values}>
                  {(item) => (
                    <li>
                      <button
                        type="button"
                        aria-pressed={props.active(facet.field, item.value)}
                        title={`${facet.label}: ${item.value}`}
                        onClick={() => props.onToggle(facet.field, item.value)}
                      >
                        <span>{item.value || '(empty)'}</span>
                        <span class="muted">{formatCount(item.count)}</span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        )}
      </For>
    </aside>
  );
}
