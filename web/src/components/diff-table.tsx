import { For, Show } from 'solid-js';
import type { Change } from '../lib/diff.js';

const KIND_LABEL: Record<Change['kind'], string> = {
  added: 'set',
  removed: 'cleared',
  changed: 'changed',
  unchanged: 'unchanged',
};

function Value(props: { text: string; present: boolean }) {
  return (
    <Show when={props.present} fallback={<span class="muted">(empty)</span>}>
      <pre>{props.text}</pre>
    </Show>
  );
}

/** Modified properties as old → new rows; list values also show which elements came and went. */
export function DiffTable(props: { changes: Change[] }) {
  return (
    <Show
      when={props.changes.length > 0}
      fallback={<p class="muted">This event records no modified properties.</p>}
    >
      <table class="diff">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Property</th>
            <th scope="col">Old value</th>
            <th scope="col">New value</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.changes}>
            {(change) => (
              <tr data-kind={change.kind}>
                <td>{change.target}</td>
                <td>
                  {change.property} <span class="badge">{KIND_LABEL[change.kind]}</span>
                </td>
                <td class={change.kind !== 'unchanged' && change.before.present ? 'diff-removed' : ''}>
                  <Value text={change.before.text} present={change.before.present} />
                  <Show when={change.removedItems.length > 0 && change.after.present}>
                    <p class="muted">Removed: {change.removedItems.join(', ')}</p>
                  </Show>
                </td>
                <td class={change.kind !== 'unchanged' && change.after.present ? 'diff-added' : ''}>
                  <Value text={change.after.text} present={change.after.present} />
                  <Show when={change.addedItems.length > 0 && change.before.present}>
                    <p class="muted">Added: {change.addedItems.join(', ')}</p>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
