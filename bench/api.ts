/**
 * `GET /api/events` over real HTTP (filtered, newest first, 50 per page) with 100k events stored, under 50
 * concurrent connections (autocannon, 127.0.0.1 only): throughput and p50/p95/p99 latency, beside `/health` as
 * the framework's ceiling and the same query called on core directly (what HTTP, validation and JSON cost).
 * The server runs in a child process (bench/api-server.ts) so the load generator does not steal its event
 * loop. Uses AOC_BENCH_MONGO_URI when set, else the sim Mongo server.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { figureOf, type Figure } from './figure.js';

const CONNECTIONS = 50;

interface LoadFigures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

interface ServerInfo {
  url: string;
  query: Record<string, string>;
  core_calls_per_s: number;
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

/** Start bench/api-server.ts and wait for its announcement line. */
async function startServer(
  events: number,
  seconds: number,
): Promise<{ info: ServerInfo; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./api-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@aoc/source', '--import', 'tsx', script], {
    env: { ...process.env, AOC_BENCH_EVENTS: String(events), AOC_BENCH_SECONDS: String(seconds) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<ServerInfo>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as ServerInfo));
    child.once('exit', (code) => reject(new Error(`bench server exited with code ${code}`)));
  });
  return {
    info,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the API benchmark; `quick` stores 10k events and measures 3 s per run instead of 100k and 10 s. */
export async function benchApi(opts: { quick: boolean }): Promise<Figure[]> {
  const seconds = opts.quick ? 3 : 10;
  const rounds = opts.quick ? 1 : 3;
  const server = await startServer(opts.quick ? 10_000 : 100_000, seconds);
  try {
    const { url: base, query } = server.info;
    const eventsUrl = `${base}/api/events?${new URLSearchParams(query).toString()}`;
    const check = (await (await fetch(eventsUrl)).json()) as { items: unknown[] };
    if (check.items.length !== 50) throw new Error(`expected 50 events per page, got ${check.items.length}`);
    const events: LoadFigures[] = [];
    const health: LoadFigures[] = [];
    for (let r = 0; r < rounds; r++) {
      // The ceiling first: a slow database is still draining queued queries after the events load.
      health.push(await load(`${base}/health`, seconds));
      events.push(await load(eventsUrl, seconds));
    }
    const coreRate = server.info.core_calls_per_s;
    const rps = figureOf({ id: 'api_events_rps', unit: 'req/s', runs: events.map((f) => Math.round(f.rps)) });
    const healthRps = figureOf({
      id: 'health_rps',
      unit: 'req/s',
      runs: health.map((f) => Math.round(f.rps)),
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
        target: 100,
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
          target: 0.5,
          runs: events.map((f) => Number((f.rps / coreRate).toFixed(3))),
        }),
        ceiling: Math.round(coreRate),
      },
    ];
  } finally {
    await server.stop();
  }
}
