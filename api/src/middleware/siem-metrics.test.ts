import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ForwarderStats } from '@aoc/core';
import { registerSiemMetrics } from './siem-metrics.js';

const stats: ForwarderStats = {
  enabled: true,
  backlog: 1234,
  webhook_backlog: 2,
  sent: 500,
  failures: 7,
  circuit: 'open',
  last_success_at: null,
  last_failure_at: null,
  last_error: 'the receiver answered HTTP 503',
};

describe('SIEM metrics', () => {
  it('shows the backlog, failures and circuit state at scrape time, reading stats once', async () => {
    const registry = new Registry();
    let reads = 0;
    const read = () => {
      reads += 1;
      return Promise.resolve(stats);
    };
    registerSiemMetrics(registry, read);
    registerSiemMetrics(registry, read);
    const text = await registry.metrics();
    expect(text).toMatch(/^aoc_siem_backlog 1234$/m);
    expect(text).toMatch(/^aoc_webhook_backlog 2$/m);
    expect(text).toMatch(/^aoc_siem_failures 7$/m);
    expect(text).toMatch(/^aoc_siem_circuit\{state="open"\} 1$/m);
    expect(text).toMatch(/^aoc_siem_circuit\{state="closed"\} 0$/m);
    expect(reads).toBe(1);
  });
});
