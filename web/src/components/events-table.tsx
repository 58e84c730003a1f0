import { For, createEffect } from 'solid-js';
import { formatTime, resultClass } from '../lib/format.js';
import { tableKey } from '../lib/keyboard.js';

/** The columns the table needs from an event (the API's event form has them all). */
export interface EventRow {
  _id: string;
  timestamp: string;
  service: string;
  operation: string;
  result: string;
  actor_display: string;
  target_displays: string[];
  display_summary: string;
  tags: string[];
}

/**
 * The dense events table. It is one tab stop: inside it j/k or the arrows move the selection, Enter opens the
 * selected event; a click selects and opens. The selected row is kept scrolled into view.
 */
export function EventsTable(props: {
  events: EventRow[];
  selected: number;
  onSelect: (index: number) => void;
  onOpen: (event: EventRow) => void;
}) {
  let body: HTMLTableSectionElement | undefined;
  createEffect(() => {
    const row = body?.rows[props.selected];
    row?.scrollIntoView({ block: 'nearest' });
  });
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const action = tableKey(event.key, props.selected, props.events.length);
    if (action.kind === 'none') return;
    event.preventDefault();
    if (action.kind === 'move') props.onSelect(action.index);
    else {
      const target = props.events[action.index];
      if (target) props.onOpen(target);
    }
  };
  return (
    <div class="table-wrap">
      <table
        class="events"
        tabIndex={0}
        aria-label="Events; use j and k or the arrow keys to move, Enter to open"
        aria-rowcount={props.events.length}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          <col style={{ width: '152px' }} />
          <col style={{ width: '9%' }} />
          <col style={{ width: '16%' }} />
          <col style={{ width: '72px' }} />
          <col style={{ width: '14%' }} />
          <col style={{ width: '13%' }} />
          <col />
          <col style={{ width: '9%' }} />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Service</th>
            <th scope="col">Operation</th>
            <th scope="col">Result</th>
            <th scope="col">Actor</th>
            <th scope="col">Targets</th>
            <th scope="col">Summary</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody ref={(el) => (body = el)}>
          <For each={props.events}>
            {(event, i) => (
              <tr
                aria-selected={props.selected === i()}
                data-id={event._id}
                onClick={() => {
                  props.onSelect(i());
                  props.onOpen(event);
                }}
              >
                <td class="mono">{formatTime(event.timestamp)}</td>
                <td title={event.service}>{event.service}</td>
                <td title={event.operation}>{event.operation}</td>
                <td class={resultClass(event.result)}>{event.result}</td>
                <td title={event.actor_display}>{event.actor_display}</td>
                <td title={event.target_displays.join(', ')}>{event.target_displays.join(', ')}</td>
                <td title={event.display_summary}>{event.display_summary}</td>
                <td>
                  <For each={event.tags}>{(tag) => <span class="tag">{tag}</span>}</For>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
