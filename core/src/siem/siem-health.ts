import type { Db } from 'mongodb';
import type { SiemDelivery, SourceHealth } from '../ingest/source-health.js';
import { readDeliveryState } from './delivery-state.js';
import type { DeliveryState } from './delivery-state.js';
import { backlog, oldestPending } from './outbox.js';

/** Fifteen minutes: a healthy forwarder drains 500 items a request, so a longer wait means delivery stopped. */
export const DEFAULT_STALLED_AFTER_MS = 15 * 60_000;

/** What the SIEM health entry is built from. */
export interface SiemHealthInput {
  state: Partial<DeliveryState> | null;
  backlog: number;
  webhookBacklog: number;
  oldestPendingAt: Date | null;
  now: Date;
  stalledAfterMs: number;
}

const duration = (ms: number) =>
  ms < 90_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;

/**
 * The status rules of SIEM delivery: failing while the circuit is not closed (requests refused, or one trial
 * in flight after a stop) or when the oldest pending item has waited longer than `stalledAfterMs` — so it is
 * never "ok" while delivery has stopped, whichever process looks; degraded while requests fail but the
 * circuit is still closed; unknown before any forwarder recorded a state; ok otherwise.
 */
export function presentSiemHealth(input: SiemHealthInput): SourceHealth {
  const { state, now, stalledAfterMs } = input;
  const failures = state?.consecutive_failures ?? 0;
  const circuit = state?.circuit ?? 'closed';
  const lastError = failures > 0 ? (state?.last_error ?? null) : null;
  const ageMs = input.oldestPendingAt ? Math.max(0, now.getTime() - input.oldestPendingAt.getTime()) : null;
  const errorText = lastError ? `; last error: ${lastError}` : '';

  let status: SourceHealth['status'] = 'ok';
  let reason: string | null = null;
  if (circuit !== 'closed') {
    status = 'failing';
    reason = `delivery stopped: the circuit is ${circuit} after ${failures} consecutive failed requests${errorText}`;
  } else if (ageMs !== null && ageMs > stalledAfterMs) {
    status = 'failing';
    reason = `the oldest of ${input.backlog} pending items has waited ${duration(ageMs)} (limit ${duration(stalledAfterMs)})${errorText}`;
  } else if (failures > 0) {
    status = 'degraded';
    reason = `${failures} failed requests since the last delivery${errorText}`;
  } else if (!state) {
    status = 'unknown';
    reason = 'no delivery attempted yet';
  }

  const siem: SiemDelivery = {
    backlog: input.backlog,
    oldest_pending_at: input.oldestPendingAt,
    webhook_backlog: input.webhookBacklog,
    consecutive_failures: failures,
    circuit,
    stalled_after_seconds: Math.round(stalledAfterMs / 1000),
  };
  return {
    source: 'siem',
    status,
    reason,
    last_attempt_at: state?.last_attempt_at ?? null,
    last_success_at: state?.last_success_at ?? null,
    last_error: lastError,
    last_error_kind: lastError ? 'upstream' : null,
    events_fetched: 0,
    events_stored: 0,
    lag_seconds: ageMs === null ? null : Math.round(ageMs / 1000),
    warnings: [],
    gaps: [],
    next_run_at: null,
    siem,
  };
}

/** Read the outbox and the recorded delivery state, and apply `presentSiemHealth`. */
export async function readSiemHealth(db: Db, now: Date, stalledAfterMs: number): Promise<SourceHealth> {
  const [state, siemBacklog, webhookBacklog, oldestPendingAt] = await Promise.all([
    readDeliveryState(db),
    backlog(db, 'siem'),
    backlog(db, 'webhook'),
    oldestPending(db, 'siem'),
  ]);
  return presentSiemHealth({
    state,
    backlog: siemBacklog,
    webhookBacklog,
    oldestPendingAt,
    now,
    stalledAfterMs,
  });
}

/**
 * `ingest` whose `sourceHealth()` also lists the SIEM forwarder (after the sources) when forwarding is on, so
 * REST, tRPC, MCP and the console show it without knowing about the SIEM.
 */
export function withSiemHealth<T extends { sourceHealth(): Promise<SourceHealth[]> }>(
  ingest: T,
  siem: { health(): Promise<SourceHealth | null> },
): T {
  return {
    ...ingest,
    async sourceHealth() {
      const [sources, delivery] = await Promise.all([ingest.sourceHealth(), siem.health()]);
      return delivery ? [...sources, delivery] : sources;
    },
  };
}
