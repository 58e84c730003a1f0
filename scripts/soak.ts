/**
 * `npm run soak -- --minutes N [--clients C] [--events E] [--window-seconds S]`: the long form of the load test
 * (api/src/hardening/load.int.test.ts). The app on 127.0.0.1 over the sim MongoDB and the sim Microsoft
 * tenant; C clients mix list, search, detail, filter-options and export while fetches of the tenant run back
 * to back, window after window, for N minutes. Each window prints one line (requests, rps, p95, 5xx, heap after
 * GC); the run fails (exit 1) on any 5xx or unanswered request, a p95 beyond 3× the no-fetch baseline, or a heap
 * that keeps growing. The database is the sim MongoDB in a child process, or `--mongo-uri` (a real MongoDB, on
 * loopback). Loopback only, and bounded: it stops itself at N minutes plus a grace period.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MongoClient } from 'mongodb';
import { startHarness } from '../api/src/test-support/harness.js';
import { runMixedLoad } from '../api/src/hardening/load.test-helpers.js';
import type { LoadStats } from '../api/src/hardening/load.test-helpers.js';

const MAX_MINUTES = 24 * 60;
const GRACE_MS = 3 * 60_000;
const HEAP_GROWTH_TOLERANCE = 1.25;
const HEAP_SLACK_BYTES = 32 * 1024 * 1024;
// Every client is 127.0.0.1 and exports are rate-limited per address: the limit is sized for this traffic (one
// request in ten is an export) and checked to be in force, never switched off. Other limits keep their defaults.
const EXPORT_PER_MINUTE = 60_000;

function intOption(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`--${name}: expected a whole number from ${min} to ${max}, got "${value}"\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    clients: { type: 'string' },
    events: { type: 'string' },
    'window-seconds': { type: 'string' },
    'mongo-uri': { type: 'string' },
  },
  strict: true,
});
const minutes = intOption(values.minutes, 'minutes', 1, 1, MAX_MINUTES);
const clients = intOption(values.clients, 'clients', 50, 1, 1000);
const events = intOption(values.events, 'events', 20_000, 100, 1_000_000);
const windowMs = intOption(values['window-seconds'], 'window-seconds', 30, 5, 3600) * 1000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const log = (line: string) => process.stdout.write(`${line}\n`);

const LOOPBACK = /^mongodb:\/\/(?:[^@/]*@)?(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:\/|$)/;
if (values['mongo-uri'] !== undefined && !LOOPBACK.test(values['mongo-uri'])) {
  process.stderr.write('--mongo-uri: the soak runs against loopback only (mongodb://127.0.0.1:PORT)\n');
  process.exit(2);
}

/** The sim MongoDB in a child process, so the database does not share the app's event loop. */
async function startSimMongo(): Promise<{ uri: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../sim/src/cli.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@aoc/source', '--import', 'tsx', cli, 'mongo', '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const ready = JSON.parse(line) as { url?: string };
    if (ready.url) return { uri: ready.url, child };
  }
  throw new Error('the sim MongoDB exited before it was ready');
}

// Whatever happens, the soak ends: a bounded run is the contract.
setTimeout(
  () => {
    process.stderr.write('soak: exceeded its time bound; stopping\n');
    process.exit(3);
  },
  minutes * 60_000 + GRACE_MS,
).unref();

async function main(): Promise<number> {
  const sim = values['mongo-uri'] === undefined ? await startSimMongo() : undefined;
  const uri = sim?.uri ?? values['mongo-uri']!;
  const client = new MongoClient(uri);
  await client.connect();
  const name = `aoc_soak_${Date.now()}`;
  const h = await startHarness(
    { client, db: client.db(name), name, uri },
    {
      events,
      app: { rateLimits: { exportPerMinute: EXPORT_PER_MINUTE } },
    },
  );
  try {
    log(`soak: ${minutes} min, ${clients} clients, ${events} events in the tenant, ${h.url}`);
    const seeded = await h.core.ingest.runFetch({ hours: 168 });
    log(`soak: initial fetch stored ${seeded.inserted} events`);
    const page = await h.core.events.search({ page_size: 500 });
    const eventIds = page.items.map((event) => event._id);
    const words = [
      ...new Set(
        page.items.flatMap((event) =>
          `${event.operation ?? ''} ${event.actor_display ?? ''}`
            .toLowerCase()
            .split(/[^a-z0-9@.]+/)
            .filter((word) => word.length > 3),
        ),
      ),
    ].slice(0, 100);

    const baseline = await runMixedLoad({
      url: h.url,
      clients,
      durationMs: Math.min(windowMs, 20_000),
      eventIds,
      words,
      seed: 1,
    });
    log(`soak: baseline (no fetch) ${baseline.requestsPerSecond} rps, p95 ${baseline.p95} ms`);

    const deadline = Date.now() + minutes * 60_000;
    const windows: { stats: LoadStats; heap: number; fetches: number }[] = [];
    let seed = 2;
    while (Date.now() < deadline) {
      let loading = true;
      let fetches = 0;
      const fetching = (async () => {
        while (loading) {
          await h.core.ingest.runFetch({ hours: 168 });
          fetches += 1;
        }
      })();
      const durationMs = Math.max(1_000, Math.min(windowMs, deadline - Date.now()));
      const stats = await runMixedLoad({ url: h.url, clients, durationMs, eventIds, words, seed: seed++ });
      loading = false;
      await fetching;
      const heap = heapAfterGc();
      windows.push({ stats, heap, fetches });
      log(
        `window ${windows.length}: ${stats.requests} requests, ${stats.requestsPerSecond} rps, p95 ${stats.p95} ms, ` +
          `p99 ${stats.p99} ms, 5xx ${stats.serverErrors}, unanswered ${stats.failures}` +
          (stats.failures > 0 ? ` ${JSON.stringify(stats.failureReasons)}` : '') +
          `, fetches ${fetches}, heap ${mb(heap)} MB`,
      );
    }

    const problems: string[] = [];
    const served = windows.reduce((n, w) => n + w.stats.requests, 0);
    const errors = windows.reduce((n, w) => n + w.stats.serverErrors + w.stats.failures, 0);
    if (errors > 0) problems.push(`${errors} requests answered 5xx or not at all`);
    for (const [i, w] of windows.entries()) {
      const refused = Object.entries(w.stats.byStatus).filter(([status]) => status !== '200');
      if (refused.length > 0)
        problems.push(`window ${i + 1}: answers other than 200: ${JSON.stringify(refused)}`);
      const announced = w.stats.rateLimitByKind.export;
      if (announced !== undefined && announced !== EXPORT_PER_MINUTE) {
        problems.push(
          `window ${i + 1}: export limit announced ${announced}, configured ${EXPORT_PER_MINUTE}`,
        );
      }
      if (w.stats.p95 > Math.max(3 * baseline.p95, 50)) {
        problems.push(`window ${i + 1}: p95 ${w.stats.p95} ms > 3 × baseline ${baseline.p95} ms`);
      }
    }
    // Steady memory: the last third of the windows may not sit above the first third beyond the tolerance.
    const third = Math.max(1, Math.floor(windows.length / 3));
    const early = Math.max(...windows.slice(0, third).map((w) => w.heap));
    const late = Math.min(...windows.slice(-third).map((w) => w.heap));
    if (windows.length >= 3 && late > early * HEAP_GROWTH_TOLERANCE + HEAP_SLACK_BYTES) {
      problems.push(`heap grew from ${mb(early)} MB to ${mb(late)} MB`);
    }
    log(
      `[hardening] soak: minutes=${minutes} clients=${clients} windows=${windows.length} requestsServed=${served} ` +
        `errors=${errors} exportLimitPerMinute=${EXPORT_PER_MINUTE} baselineP95Ms=${baseline.p95} worstP95Ms=${Math.max(...windows.map((w) => w.stats.p95))} ` +
        `heapFirstMb=${mb(windows[0]?.heap ?? 0)} heapLastMb=${mb(windows.at(-1)?.heap ?? 0)}`,
    );
    for (const problem of problems) log(`soak: FAIL: ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await h.close();
    await client
      .db(name)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    sim?.child.kill('SIGTERM');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
