import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { routePath } from 'hono/route';
import type { MiddlewareHandler } from 'hono';

/** One fetch run's outcome per source, as the metrics count it. */
export interface FetchRunFigures {
  source: string;
  /** The source's status in the run: `ok`, `partial`, `failed` or `skipped`. */
  outcome: string;
  /** Events stored (new or refreshed). */
  events: number;
}

export interface Metrics {
  registry: Registry;
  /** Counts every request by method, matched route pattern (never the raw path) and status. */
  middleware: MiddlewareHandler;
  recordFetch(figures: FetchRunFigures): void;
}

export interface MetricsOptions {
  /** Asked at scrape time; a throw or `false` reports the database as down. */
  dbUp: () => Promise<boolean>;
  /** Node process metrics (heap, event loop lag); off for other runtimes and in tests. */
  processMetrics?: boolean;
}

/** A registry of its own per app (no prom-client global), so two apps in one process never share counters. */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'aoc_http_requests_total',
    help: 'HTTP requests',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'aoc_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const fetchRuns = new Counter({
    name: 'aoc_fetch_runs_total',
    help: 'Fetch runs by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const fetchEvents = new Counter({
    name: 'aoc_fetch_events_total',
    help: 'Events fetched by source',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const fetchErrors = new Counter({
    name: 'aoc_fetch_errors_total',
    help: 'Fetch runs by source that failed or missed data',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'aoc_db_up',
    help: '1 when MongoDB answers a ping',
    registers: [registry],
    async collect() {
      this.set((await options.dbUp().catch(() => false)) ? 1 : 0);
    },
  });

  const middleware: MiddlewareHandler = async function countRequests(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const labels = { method: c.req.method, route: routePath(c), status: String(c.res.status) };
      requests.inc(labels);
      latency.observe(labels, (performance.now() - started) / 1000);
    }
  };

  return {
    registry,
    middleware,
    recordFetch({ source, outcome, events }) {
      fetchRuns.inc({ source, outcome });
      if (events > 0) fetchEvents.inc({ source }, events);
      if (outcome === 'failed' || outcome === 'partial') fetchErrors.inc({ source });
    },
  };
}
