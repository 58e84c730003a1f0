/**
 * The server side of bench/api.ts, in its own process so the load generator does not share its event loop:
 * starts the database (AOC_BENCH_MONGO_URI, else the sim Mongo server), stores AOC_BENCH_EVENTS synthetic
 * events, measures the filtered query on core directly, serves the app on 127.0.0.1, and prints one JSON line
 * `{ url, query, core_calls_per_s }`. Stops on SIGTERM.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '@aoc/api';
import type { Core } from '@aoc/core';
import { openBenchStore } from './bench-store.js';

const CONCURRENCY = 50;
/** The query on core, `CONCURRENCY` calls at a time for `seconds`: calls per second without HTTP. */
async function coreRate(core: Core, query: Record<string, string>, seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let calls = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        await core.events.search(query);
        calls += 1;
      }
    }),
  );
  return calls / seconds;
}

const eventCount = Number(process.env.AOC_BENCH_EVENTS ?? 100_000);
const seconds = Number(process.env.AOC_BENCH_SECONDS ?? 10);
const end = Date.UTC(2026, 10, 1);
const store = await openBenchStore('api', eventCount, {
  prefix: 'bench',
  timestampOf: (i) => new Date(end - i * 30_000),
});
const { config, core } = store;
const query = { service: 'Exchange', result: 'success', page_size: '50' };
const coreCallsPerSecond = await coreRate(core, query, seconds);
const app = createApp(core, config);
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
await once(server, 'listening');
process.stdout.write(
  `${JSON.stringify({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    query,
    core_calls_per_s: coreCallsPerSecond,
  })}\n`,
);
process.once('SIGTERM', () => {
  server.close();
  void store.close().then(() => process.exit(0));
});
