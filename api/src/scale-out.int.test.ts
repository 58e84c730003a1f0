import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { loadConfig } from '@aoc/core';
import type { Logger } from '@aoc/core';
import { startServer } from './server.js';
import type { RunningServer } from './server.js';

const database = useTestDatabase('api_scale_out');
const INTERVAL_SECONDS = 2;
const INTERVAL_MS = INTERVAL_SECONDS * 1000;

/** What one replica's scheduler did, read from its log: when it ran a fetch and when it left one to another. */
interface Ticks {
  ran: number[];
  declined: number[];
}

function capturingLogger(ticks: Ticks): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { msg?: string; time: number };
        if (entry.msg === 'scheduled fetch starting') ticks.ran.push(entry.time);
        if (entry.msg === 'scheduled fetch left to the replica that claimed this interval')
          ticks.declined.push(entry.time);
      }
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('two API replicas on one database, both with the scheduler on', () => {
  let cloud: Awaited<ReturnType<typeof startMicrosoftSim>>;
  const replicas: RunningServer[] = [];
  const ticks: [Ticks, Ticks] = [
    { ran: [], declined: [] },
    { ran: [], declined: [] },
  ];
  const firstPageRequests = () =>
    cloud.requests.filter(
      (r) => r.path === '/v1.0/auditLogs/directoryAudits' && r.query.$skiptoken === undefined,
    );

  beforeAll(async () => {
    cloud = await startMicrosoftSim({ events: 40 });
    const base = loadConfig({
      NODE_ENV: 'test',
      MONGO_URI: database.uri,
      MONGO_DB: database.name,
      TENANT_ID: cloud.tenantId,
      CLIENT_ID: cloud.clientId,
      CLIENT_SECRET: cloud.clientSecret,
      LOGIN_BASE_URL: cloud.urls.login,
      GRAPH_BASE_URL: cloud.urls.graph,
      MANAGEMENT_BASE_URL: cloud.urls.management,
      ENABLE_PERIODIC_FETCH: 'true',
    });
    const config = { ...base, server: { ...base.server, port: 0 } };
    const start = (i: 0 | 1) =>
      startServer({
        config,
        env: {},
        log: capturingLogger(ticks[i]),
        webDist: '/nonexistent',
        fetchIntervalSeconds: INTERVAL_SECONDS,
      });
    replicas.push(await start(0));
    // Start the second replica just after the first one's first run, so their timers fire a second apart: a
    // replica whose timer fires after the other one's fetch of the window has finished must still not fetch.
    await until(() => ticks[0].ran.length > 0, 10_000);
    replicas.push(await start(1));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.shutdown('test end')));
    await cloud.stop();
  });

  it('fetches exactly once per interval, whichever replica claims it', async () => {
    await until(
      () => ticks[1].ran.length + ticks[1].declined.length >= 3 && ticks[0].ran.length >= 2,
      5 * INTERVAL_MS + 5_000,
    );
    await Promise.all(replicas.map((replica) => replica.scheduler?.stop()));
    await Promise.all(replicas.map(async (replica) => replica.core.ingest.progress() && sleep(500)));

    const runs = [...ticks[0].ran, ...ticks[1].ran].sort((a, b) => a - b);
    const windows = runs.map((time) => Math.floor(time / INTERVAL_MS));
    // Both schedulers were live: every window saw two timers, and each one was turned down once.
    expect(ticks[1].declined.length + ticks[0].declined.length).toBeGreaterThanOrEqual(2);
    // One run per window, and no window skipped between the first and the last run.
    expect(new Set(windows).size).toBe(runs.length);
    expect(windows.at(-1)! - windows[0]!).toBe(runs.length - 1);
    // The database and the Microsoft cloud agree: one lease acquisition and one first-page read per run.
    const locks = await database.db
      .collection<{ _id: string; fence: number }>('locks')
      .findOne({ _id: 'fetch:directory' });
    expect(locks?.fence).toBe(runs.length);
    expect(firstPageRequests()).toHaveLength(runs.length);
  }, 30_000);
});
