import { describe, expect, it } from 'vitest';
import { presentSiemHealth } from './siem-health.js';
import type { SiemHealthInput } from './siem-health.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000);

const healthy: SiemHealthInput = {
  state: {
    last_attempt_at: minutesAgo(1),
    last_success_at: minutesAgo(1),
    last_error: 'the receiver answered HTTP 503',
    last_error_at: minutesAgo(30),
    consecutive_failures: 0,
    circuit: 'closed',
  },
  backlog: 0,
  webhookBacklog: 0,
  oldestPendingAt: null,
  now: NOW,
  stalledAfterMs: 15 * 60_000,
};

describe('presentSiemHealth', () => {
  it('is ok while delivery keeps up, and hides an error that a later delivery superseded', () => {
    const health = presentSiemHealth({ ...healthy, backlog: 40, oldestPendingAt: minutesAgo(2) });
    expect(health).toMatchObject({
      source: 'siem',
      status: 'ok',
      reason: null,
      last_error: null,
      lag_seconds: 120,
      last_success_at: minutesAgo(1),
      siem: { backlog: 40, consecutive_failures: 0, circuit: 'closed', stalled_after_seconds: 900 },
    });
  });

  it('is failing while the circuit is open, with the backlog and the last error', () => {
    const health = presentSiemHealth({
      ...healthy,
      state: { ...healthy.state, consecutive_failures: 5, circuit: 'open', last_error: 'HTTP 503' },
      backlog: 600,
      oldestPendingAt: minutesAgo(3),
    });
    expect(health.status).toBe('failing');
    expect(health.reason).toBe(
      'delivery stopped: the circuit is open after 5 consecutive failed requests; last error: HTTP 503',
    );
    expect(health.last_error).toBe('HTTP 503');
    expect(health.siem).toMatchObject({ backlog: 600, circuit: 'open', consecutive_failures: 5 });
  });

  it('is failing during the half-open trial too: delivery has not resumed yet', () => {
    const state = { ...healthy.state, consecutive_failures: 5, circuit: 'half-open' as const };
    expect(presentSiemHealth({ ...healthy, state }).status).toBe('failing');
  });

  it('is failing when the oldest pending item waited past the limit, even with a closed circuit', () => {
    const health = presentSiemHealth({ ...healthy, backlog: 12, oldestPendingAt: minutesAgo(16) });
    expect(health.status).toBe('failing');
    expect(health.reason).toBe('the oldest of 12 pending items has waited 16 min (limit 15 min)');
    // The same age within the limit is fine.
    expect(presentSiemHealth({ ...healthy, backlog: 12, oldestPendingAt: minutesAgo(14) }).status).toBe('ok');
  });

  it('is failing on an old backlog when no forwarder ever ran (a process that only reads)', () => {
    const health = presentSiemHealth({
      ...healthy,
      state: null,
      backlog: 3,
      oldestPendingAt: minutesAgo(60),
    });
    expect(health.status).toBe('failing');
    expect(presentSiemHealth({ ...healthy, state: null })).toMatchObject({
      status: 'unknown',
      reason: 'no delivery attempted yet',
    });
  });

  it('is degraded while requests fail but the circuit is still closed', () => {
    const health = presentSiemHealth({
      ...healthy,
      state: { ...healthy.state, consecutive_failures: 2, last_error: 'HTTP 502' },
    });
    expect(health).toMatchObject({
      status: 'degraded',
      reason: '2 failed requests since the last delivery; last error: HTTP 502',
      last_error: 'HTTP 502',
      last_error_kind: 'upstream',
    });
  });
});
