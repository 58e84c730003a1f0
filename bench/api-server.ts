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
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import type { Core, NormalizedEvent } from '@aoc/core';
import { startMongoSim } from '@aoc/sim';

const CONCURRENCY = 50;
const SERVICES = ['Exchange', 'SharePoint', 'AzureActiveDirectory', 'MicrosoftTeams', 'Intune'];
const OPERATIONS = ['Add member to group.', 'Update user.', 'Set-Mailbox', 'FileAccessed', 'Delete device'];

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
      result: i % 11 === 0 ? 'failure' : 'success',
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
for (let offset = 0; offset < eventCount; offset += 5_000) {
  await core.events.upsert(syntheticEvents(Math.min(5_000, eventCount - offset), offset));
}
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
  void core
    .close()
    .then(() => sim?.stop())
    .then(() => process.exit(0));
});
