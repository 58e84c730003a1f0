import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, silentLogger } from '@aoc/core';
import { startMicrosoftSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { startServer } from '../server.js';
import type { RunningServer } from '../server.js';
import { json } from '../test-support/json.js';

const database = useTestDatabase('api_shutdown');
let cloud: Awaited<ReturnType<typeof startMicrosoftSim>>;
let running: RunningServer;

beforeAll(async () => {
  // Slow answers keep a fetch in flight long enough to shut down in the middle of it.
  cloud = await startMicrosoftSim({ events: 2000, latencyMs: 150 });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    LOGIN_BASE_URL: cloud.urls.login,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
  });
  running = await startServer({
    config: { ...config, server: { ...config.server, port: 0 } },
    env: {},
    log: silentLogger(),
    webDist: '/nonexistent',
  });
});

afterAll(async () => {
  await running.shutdown('test end');
  await cloud.stop();
});

describe('graceful shutdown during a fetch', () => {
  it('lets the in-flight request finish, stops the fetch at a checkpoint and releases its leases', async () => {
    const inFlight = fetch(`${running.url}/api/fetch-audit-logs?hours=168`, { method: 'POST' });
    // Wait until the fetch is really running.
    for (let i = 0; i < 100 && running.core.ingest.progress() === null; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(running.core.ingest.progress()).not.toBeNull();
    const started = Date.now();
    const shutdown = running.shutdown('test');
    const res = await inFlight;
    expect(res.status).toBe(200);
    const result = await json(res);
    expect(JSON.stringify(result.per_source)).toContain('abort');
    await shutdown;
    expect(Date.now() - started).toBeLessThan(10_000);
    const locks = await database.db.collection('locks').find({}).toArray();
    expect(locks.length).toBeGreaterThan(0);
    expect(locks.every((lock) => lock.owner === null)).toBe(true);
  });
});
