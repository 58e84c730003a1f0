import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim } from '@aoc/sim';
import type { MicrosoftSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import type { Core, SiemBatch } from '@aoc/core';
import { createApp } from '../app.js';
import { printFigure, probe } from './http-probe.test-helpers.js';
import type { ProbeAnswer } from './http-probe.test-helpers.js';

/**
 * The SIEM slow (holding every request), then down (connection refused), then back: fetches over the API
 * finish without waiting for it, the API stays fast, `/health` stays 200 (a SIEM outage is not ours), and once
 * the SIEM is back every stored event reaches it — none lost to the outage.
 */

const database = useTestDatabase('hardening_siem');
let cloud: MicrosoftSim;
let core: Core;
let url: string;
let app: ReturnType<typeof serve>;
let siem: Server;
let siemPort: number;
let mode: 'slow' | 'up' = 'slow';
const held = new Set<ServerResponse>();
const sockets = new Set<Socket>();
const received = new Map<string, number>();

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (mode === 'slow') {
      held.add(res);
      return;
    }
    const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SiemBatch;
    for (const item of batch.items)
      if (item.type === 'event') received.set(item.id, (received.get(item.id) ?? 0) + 1);
    res.writeHead(202).end();
  });
}

async function startSiem(port = 0): Promise<void> {
  siem = createServer(handle);
  siem.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  siem.listen(port, '127.0.0.1');
  await once(siem, 'listening');
  siemPort = (siem.address() as AddressInfo).port;
}

async function stopSiem(): Promise<void> {
  for (const res of held) res.destroy();
  held.clear();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => siem.close(() => resolve()));
}

beforeAll(async () => {
  await startSiem();
  cloud = await startMicrosoftSim({ events: 1200 });
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    LOGIN_BASE_URL: cloud.urls.login,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
    SIEM_ENABLED: 'true',
    SIEM_WEBHOOK_URL: `http://127.0.0.1:${siemPort}/siem`,
    SIEM_ALLOWED_DOMAINS: '127.0.0.1',
  });
  core = await createCore(config, {
    log: silentLogger(),
    mongoClient: database.client,
    outbound: { allowLoopback: true },
    siem: {
      batchSize: 200,
      idleMs: 20,
      failureDelayMs: 30,
      leaseMs: 2_000,
      delivery: { initialDelayMs: 2, maxDelayMs: 10, breakAfter: 5, halfOpenAfterMs: 50 },
    },
  });
  core.siem.start();
  const handler = createApp(core, config, { rateLimits: { fetchPerMinute: 1000 } });
  app = serve({ fetch: handler.fetch, hostname: '127.0.0.1', port: 0 });
  await once(app, 'listening');
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await core?.siem.stop();
  if (app && 'closeAllConnections' in app) app.closeAllConnections();
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  await core?.close();
  if (siem?.listening) await stopSiem();
  await cloud?.stop();
});

/** A fetch over the API with list requests alongside; returns the fetch's answer and the slowest list. */
async function fetchUnderLoad(): Promise<{ fetched: ProbeAnswer; slowestListMs: number; lists: number }> {
  let done = false;
  const listing = (async () => {
    const times: number[] = [];
    while (!done) times.push((await probe(`${url}/api/events?page_size=20`)).ms);
    return times;
  })();
  const fetched = await probe(`${url}/api/fetch-audit-logs?hours=168`, { method: 'POST', timeoutMs: 60_000 });
  done = true;
  const times = await listing;
  return { fetched, slowestListMs: Math.round(Math.max(...times)), lists: times.length };
}

describe('SIEM slow, then down, then back', () => {
  it('never holds up fetches or the API, and delivers every event once it is back', async () => {
    const slow = await fetchUnderLoad();
    expect(slow.fetched.status, slow.fetched.body).toBe(200);
    expect((await probe(`${url}/health`)).status).toBe(200);
    const stored = await database.db.collection('events').countDocuments();
    expect(stored).toBeGreaterThan(1000);
    expect(held.size, 'the SIEM was being called and held').toBeGreaterThan(0);

    await stopSiem();
    cloud.addEvents(150, { lateByHours: 0, sources: ['directoryAudits', 'intuneAuditEvents'] });
    const down = await fetchUnderLoad();
    expect(down.fetched.status, down.fetched.body).toBe(200);
    expect((await probe(`${url}/health`)).status).toBe(200);
    const backlog = (await core.siem.stats()).backlog;
    expect(backlog, 'events wait in the outbox').toBeGreaterThan(0);

    mode = 'up';
    await startSiem(siemPort);
    const total = await database.db.collection('events').countDocuments();
    const deadline = Date.now() + 30_000;
    while (received.size < total && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const duplicates = [...received.values()].filter((n) => n > 1).length;
    printFigure('SIEM faults', {
      fetchWhileSlowMs: Math.round(slow.fetched.ms),
      fetchWhileDownMs: Math.round(down.fetched.ms),
      slowestListMs: Math.max(slow.slowestListMs, down.slowestListMs),
      listRequests: slow.lists + down.lists,
      backlogWhileDown: backlog,
      eventsStored: total,
      eventsDelivered: received.size,
      redelivered: duplicates,
    });
    expect(Math.max(slow.slowestListMs, down.slowestListMs), 'the API stays responsive').toBeLessThan(3_000);
    expect(received.size, 'every stored event reached the SIEM').toBe(total);
  }, 90_000);
});
