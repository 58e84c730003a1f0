import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { ForwarderStats } from '@aoc/core';

const CIRCUIT_STATES = ['closed', 'open', 'half-open', 'isolated'] as const;

/**
 * SIEM forwarding health on `/metrics`, read from `core.siem.stats()` at scrape time: the outbox backlog (SIEM
 * and rule webhooks), items delivered, failed requests and the circuit state. Registering twice on one registry
 * (two apps sharing the scheduler's metrics) is a no-op.
 */
export function registerSiemMetrics(registry: Registry, stats: () => Promise<ForwarderStats>): void {
  if (registry.getSingleMetric('aoc_siem_backlog')) return;
  let last: Promise<ForwarderStats | undefined> | undefined;
  // One stats read per scrape, shared by the gauges (each gauge's collect runs on the same scrape).
  const read = () => {
    last ??= stats()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (last = undefined), 0));
    return last;
  };
  const gauge = (name: string, help: string, value: (s: ForwarderStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const current = await read();
        if (current) this.set(value(current));
      },
    });
  gauge('aoc_siem_backlog', 'Events and alerts waiting in the outbox for the SIEM', (s) => s.backlog);
  gauge('aoc_webhook_backlog', 'Alert notifications waiting for rule webhooks', (s) => s.webhook_backlog);
  gauge('aoc_siem_sent', 'Items the SIEM accepted since the process started', (s) => s.sent);
  gauge('aoc_siem_failures', 'Failed SIEM and webhook requests since the process started', (s) => s.failures);
  new Gauge({
    name: 'aoc_siem_circuit',
    help: 'Circuit breaker of SIEM delivery: 1 for the current state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const current = await read();
      if (!current) return;
      for (const state of CIRCUIT_STATES) this.set({ state }, current.circuit === state ? 1 : 0);
    },
  });
}
