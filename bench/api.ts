/**
 * `GET /api/events` over real HTTP (filtered, newest first, 50 per page) with 100k events stored, under 50
 * concurrent connections (autocannon, 127.0.0.1 only): throughput and p50/p95/p99 latency, beside `/health` as
 * the framework's ceiling and the same query called on core directly (what HTTP, validation and JSON cost).
 * Uses AOC_BENCH_MONGO_URI when set, else the sim Mongo server.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { serve } from '@hono/node-server';
import { createApp } from '@aoc/api';
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import type { Core, NormalizedEvent } from '@aoc/core';
import { startMongoSim } from '@aoc/sim';
import { figureOf, type Figure } from './figure.js';

const CONNECTIONS = 50;
const SERVICES = ['Exchange', 'SharePoint', 'AzureActiveDirectory', 'MicrosoftTeams', 'Intune'];
const OPERATIONS = ['Add member to group.', 'Update user.', 'Set-Mailbox', 'FileAccessed', 'Delete device'];
const RESULTS = ['success', 'failure'];

function syntheticEvents(count: number, offset: number): NormalizedEvent[] {
  const end = Date.UTC(2026, 10, 1);
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const service = SERVICES[i % SERVICES.length]!;
    const operation = OPERATIONS[(i * 7) % OPERATIONS.length]!;
    const actor = `user${i % 997}@contoso.example`;
    const target = `object-${i % 5003}`;
    const summary = `${actor} ran ${operation} on ${target}`;
    return {
      id: `bench-${i}`,
      source: i % 3 === 0 ? 'unified' : i % 3 === 1 ? 'directory' : 'intune',
      timestamp: new Date(end - i * 30_000),
      service,
      operation,
      result: RESULTS[i % 11 === 0 ? 1 : 0]!,
      actor_display: actor,
      target_displays: [target],
      display_summary: summary,
      dedupe_key: `bench:${i}`,
      actor: { user: { userPrincipalName: actor } },
      targets: [{ displayName: target }],
      raw: { id: `bench-${i}`, operation, service },
      raw_text: summary,
      search_terms: summary
        .toLowerCase()
        .split(/[^a-z0-9@.-]+/)
        .filter(Boolean),
    } satisfies NormalizedEvent;
  });
}

interface LoadFigures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(url: string, seconds: number): Promise<LoadFigures> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds }, (error, done) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    // autocannon reports percentiles without p95; every response time is kept to compute it exactly.
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** The same query on core, `CONNECTIONS` at a time, for `seconds`: calls per second without HTTP. */
async function coreRate(core: Core, query: Record<string, string>, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let calls = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        await core.events.search(query);
        calls += 1;
      }
    }),
  );
  return calls / seconds;
}

/** Runs the API benchmark; `quick` stores 10k events and measures 3 s per run instead of 100k and 10 s. */
export async function benchApi(opts: { quick: boolean }): Promise<Figure[]> {
  const eventCount = opts.quick ? 10_000 : 100_000;
  const seconds = opts.quick ? 3 : 10;
  const rounds = opts.quick ? 1 : 3;
  const external = process.env.AOC_BENCH_MONGO_URI;
  const sim = external ? undefined : await startMongoSim({});
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGO_URI: external ?? sim!.uri,
    MONGO_DB: `bench_api_${Date.now()}`,
    TENANT_ID: '00000000-0000-0000-0000-000000000001',
    CLIENT_ID: 'bench',
    CLIENT_SECRET: 'bench',
  });
  const core = await createCore(config, { log: silentLogger() });
  const app = createApp(core, config);
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  try {
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (let offset = 0; offset < eventCount; offset += 5_000) {
      await core.events.upsert(syntheticEvents(Math.min(5_000, eventCount - offset), offset));
    }
    const query = { service: 'Exchange', result: 'success', page_size: '50' };
    const eventsUrl = `${base}/api/events?${new URLSearchParams(query).toString()}`;
    const check = (await (await fetch(eventsUrl)).json()) as { items: unknown[] };
    if (check.items.length !== 50) throw new Error(`expected 50 events per page, got ${check.items.length}`);

    const events: LoadFigures[] = [];
    const health: LoadFigures[] = [];
    const direct: number[] = [];
    for (let r = 0; r < rounds; r++) {
      events.push(await load(eventsUrl, seconds));
      health.push(await load(`${base}/health`, seconds));
      direct.push(await coreRate(core, query, seconds));
    }
    const rps = figureOf({ id: 'api_events_rps', unit: 'req/s', runs: events.map((f) => Math.round(f.rps)) });
    const healthRps = figureOf({
      id: 'health_rps',
      unit: 'req/s',
      runs: health.map((f) => Math.round(f.rps)),
    });
    const coreRps = figureOf({
      id: 'core_events_calls_per_s',
      unit: 'calls/s',
      runs: direct.map(Math.round),
    });
    return [
      { ...rps, ceiling: healthRps.value, ratio: rps.value / healthRps.value },
      figureOf({
        id: 'api_events_p50_ms',
        unit: 'ms',
        higherIsBetter: false,
        runs: events.map((f) => f.p50),
      }),
      figureOf({
        id: 'api_events_p95_ms',
        unit: 'ms',
        higherIsBetter: false,
        runs: events.map((f) => f.p95),
      }),
      figureOf({
        id: 'api_events_p99_ms',
        unit: 'ms',
        higherIsBetter: false,
        runs: events.map((f) => f.p99),
      }),
      figureOf({
        id: 'api_events_errors',
        unit: 'requests',
        higherIsBetter: false,
        target: 0,
        runs: events.map((f) => f.errors),
      }),
      healthRps,
      {
        ...figureOf({
          id: 'api_vs_core_ratio',
          unit: 'ratio',
          runs: events.map((f, i) => Number((f.rps / direct[i]!).toFixed(3))),
        }),
        ceiling: coreRps.value,
      },
    ];
  } finally {
    server.close();
    await core.close();
    await sim?.stop();
  }
}
