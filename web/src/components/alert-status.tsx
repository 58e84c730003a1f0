import { Show, createSignal } from 'solid-js';
import { formatTime } from '../lib/format.js';

/** The acknowledgement fields of an alert, as the API returns them. */
export interface AlertAck {
  acknowledged: boolean;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/**
 * An alert's status cell: who acknowledged it and when, or an "Acknowledge" button while it is open. The
 * button stays disabled while the call is in flight so a double click sends one acknowledgement.
 */
export function AlertStatus(props: { alert: AlertAck; label: string; onAcknowledge: () => Promise<void> }) {
  const [busy, setBusy] = createSignal(false);
  const acknowledge = async () => {
    setBusy(true);
    try {
      await props.onAcknowledge();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show
      when={props.alert.acknowledged}
      fallback={
        <button
          type="button"
          disabled={busy()}
          aria-label={`Acknowledge ${props.label}`}
          onClick={() => void acknowledge()}
        >
          {busy() ? 'Acknowledging…' : 'Acknowledge'}
        </button>
      }
    >
      <span class="muted" data-testid="alert-acknowledged">
        Acknowledged by {props.alert.acknowledged_by ?? 'unknown'} at{' '}
        {formatTime(props.alert.acknowledged_at)}
      </span>
    </Show>
  );
}
