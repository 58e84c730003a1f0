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

/** What one replica's scheduler did, read from its log: the due times of its runs and of the ones it left. */
interface Ticks {
  ran: number[];
  declined: number[];
}

const STARTING = 'scheduled fetch starting';
const DECLINED = 'scheduled fetch left to the replica that claimed this interval';
/** A claimed run that found another fetch still holding the leases; it is retried at the next tick. */
const WAITING = 'scheduled fetch waits: another fetch is still running; retrying at the next tick';

function capturingLogger(ticks: Ticks): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line) as { msg?: string; due?: string };
        if (entry.due === undefined) continue;
        const due = Date.parse(entry.due);
        if (entry.msg === STARTING) ticks.ran.push(due);
        if (entry.msg === DECLINED) ticks.declined.push(due);
        if (entry.msg === WAITING) ticks.ran.splice(ticks.ran.lastIndexOf(due), 1);
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
    // The second replica starts after the first one's first run: its own first tick comes when that window
    // may already be fetched, and from then on both timers fire at every window's start.
    await until(() => ticks[0].ran.length > 0, 10_000);
    replicas.push(await start(1));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.shutdown('test end')));
    await cloud.stop();
  });

  it('fetches exactly once per interval, whichever replica claims it', async () => {
    // Three windows in which both timers fired.
    await until(() => ticks[1].ran.length + ticks[1].declined.length >= 3, 5 * INTERVAL_MS + 5_000);
    for (const replica of replicas) await replica.scheduler?.stop();
    const runs = [...ticks[0].ran, ...ticks[1].ran].sort((a, b) => a - b);
    // Let a run that had just been claimed reach the Microsoft cloud, and anything extra show up.
    await until(() => firstPageRequests().length >= runs.length, 10_000);
    await until(() => replicas.every((replica) => replica.core.ingest.progress() === null), 10_000);
    await sleep(300);

    const windows = runs.map((time) => Math.floor(time / INTERVAL_MS));
    // Never two runs in one window. (A window may pass without one when a fetch outlasts it: the claimant
    // waits for the leases instead of overlapping, so no window count is asserted beyond "it kept going".)
    expect(new Set(windows).size).toBe(runs.length);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // Both schedulers were live: windows saw two timers, and the one that came second was turned down.
    expect(ticks[1].declined.length + ticks[0].declined.length).toBeGreaterThanOrEqual(2);
    // The database and the Microsoft cloud agree: one lease acquisition and one first-page read per run.
    const locks = await database.db
      .collection<{ _id: string; fence: number }>('locks')
      .findOne({ _id: 'fetch:directory' });
    expect(locks?.fence).toBe(runs.length);
    expect(firstPageRequests()).toHaveLength(runs.length);
  }, 30_000);
});
