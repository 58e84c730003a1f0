import { formatCount } from './format.js';

/** The fields of a source-health entry the Sources table needs (the API's `SourceHealth`, dates as strings). */
export interface HealthRowInput {
  source: string;
  events_fetched: number;
  siem?: { backlog: number; webhook_backlog: number } | undefined;
}

/** How one health row names itself and what its volume cell says. */
export interface HealthRowView {
  name: string;
  volume: string;
  volumeTitle: string;
}

/**
 * The Sources table's view of a row: audit log sources show the events their last run fetched; the SIEM
 * forwarder's row (present when SIEM forwarding is on) shows what waits for delivery instead.
 */
export function healthRowView(row: HealthRowInput): HealthRowView {
  if (!row.siem) {
    return {
      name: row.source,
      volume: formatCount(row.events_fetched),
      volumeTitle: 'Events fetched by the last run',
    };
  }
  return {
    name: 'SIEM forwarding',
    volume: `${formatCount(row.siem.backlog)} waiting`,
    volumeTitle: `Events and alerts waiting for the SIEM; ${formatCount(row.siem.webhook_backlog)} rule notifications waiting`,
  };
}
