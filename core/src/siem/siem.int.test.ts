import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import type { Core } from '../create-core.js';
import { alertsCollection } from '../rules/store.js';
import { eventsCollection } from '../store/collections.js';
import { startSimCore } from '../test-support/sim-core.js';
import type { SiemBatch } from './payload.js';

const database = useTestDatabase('aoc_siem');

/** A SIEM stand-in on 127.0.0.1: records every accepted item; can fail requests with 503. */
const receiver = {
  items: [] as SiemBatch['items'],
  hooks: [] as { id: string; rule: { name: string } }[],
  requests: 0,
  failNext: 0,
  down: false,
};
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.requests += 1;
      if (receiver.down || receiver.failNext > 0) {
        receiver.failNext = Math.max(0, receiver.failNext - 1);
        res.writeHead(503).end('busy');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      if (req.url === '/hook') receiver.hooks.push(body as (typeof receiver.hooks)[number]);
      else receiver.items.push(...(body as SiemBatch).items);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let running: { core: Core; stop: () => Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  Object.assign(receiver, { items: [], hooks: [], requests: 0, failNext: 0, down: false });
});

async function start(options: { stalledAfterMs?: number } = {}): Promise<Core> {
  running = await startSimCore(database, {
    sim: { events: 600, seed: 5 },
    env: { SIEM_ENABLED: 'true', SIEM_WEBHOOK_URL: `${base}/siem`, SIEM_ALLOWED_DOMAINS: '127.0.0.1' },
    deps: {
      outbound: { allowLoopback: true },
      siem: {
        batchSize: 200,
        idleMs: 20,
        failureDelayMs: 30,
        delivery: { initialDelayMs: 2, maxDelayMs: 10, breakAfter: 5, halfOpenAfterMs: 50 },
        ...options,
      },
    },
  });
  return running.core;
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function storedKeys(): Promise<string[]> {
  const docs = await eventsCollection(database.db)
    .find({}, { projection: { dedupe_key: 1 } })
    .toArray();
  return docs.map((d) => d.dedupe_key);
}

function receivedEventIds(): string[] {
  return receiver.items.filter((item) => item.type === 'event').map((item) => item.id);
}

describe('SIEM forwarding', () => {
  it('delivers every stored event exactly once, alerts too, and notifies rule webhooks', async () => {
    const core = await start();
    const rule = await core.rules.create({
      name: 'intune changes',
      conditions: { source: ['intune'] },
      webhook_url: `${base}/hook`,
    });
    core.siem.start();
    const result = await core.ingest.runFetch();
    expect(result.inserted).toBeGreaterThan(100);
    await until(
      async () => (await core.siem.stats()).backlog === 0 && (await core.siem.stats()).webhook_backlog === 0,
    );
    const stored = await storedKeys();
    const received = receivedEventIds();
    expect(received.length).toBe(stored.length);
    expect(new Set(received)).toEqual(new Set(stored));
    // Items carry the whole event, raw record included.
    const first = receiver.items.find((item) => item.type === 'event');
    expect(first?.type === 'event' && first.event.dedupe_key).toBe(first?.id);

    const alerts = await alertsCollection(database.db).find({}).toArray();
    expect(alerts.length).toBeGreaterThan(0);
    const alertItems = receiver.items.filter((item) => item.type === 'alert').map((item) => item.id);
    expect(new Set(alertItems)).toEqual(new Set(alerts.map((a) => a._id.toHexString())));
    expect(alertItems.length).toBe(alerts.length);
    expect(receiver.hooks.map((hook) => hook.id).sort()).toEqual(
      alerts.map((a) => a._id.toHexString()).sort(),
    );
    expect(receiver.hooks[0]?.rule.name).toBe(rule.name);

    const stats = await core.siem.stats();
    expect(stats).toMatchObject({ enabled: true, backlog: 0, failures: 0, circuit: 'closed' });
    expect(stats.sent).toBe(stored.length + alerts.length);
  });

  it('retries through 503s without losing or repeating events', async () => {
    const core = await start();
    receiver.failNext = 3;
    await core.ingest.runFetch();
    await core.siem.flush();
    const stored = await storedKeys();
    expect(receivedEventIds().sort()).toEqual(stored.sort());
    const stats = await core.siem.stats();
    expect(stats.failures).toBe(3);
    expect(stats.last_error).toMatch(/HTTP 503/);
    expect(stats.backlog).toBe(0);
  });

  it('ingests while the SIEM is down, keeps the backlog, and delivers it once the SIEM is back', async () => {
    const core = await start();
    receiver.down = true;
    core.siem.start();
    const result = await core.ingest.runFetch();
    expect(result.warnings).toEqual([]);
    expect(result.inserted).toBeGreaterThan(100);
    await until(async () => (await core.siem.stats()).circuit === 'open');
    const down = await core.siem.stats();
    expect(down.backlog).toBe(result.inserted);
    expect(down.failures).toBeGreaterThanOrEqual(5);
    expect(receiver.items).toEqual([]);

    receiver.down = false;
    await until(async () => (await core.siem.stats()).backlog === 0);
    expect(receivedEventIds().sort()).toEqual((await storedKeys()).sort());
    expect((await core.siem.stats()).circuit).toBe('closed');
  });

  it('shows in source health: failing with the backlog while the SIEM is down, ok after recovery', async () => {
    const core = await start();
    const siemEntry = async () => (await core.ingest.sourceHealth()).find((h) => h.source === 'siem');
    expect(await siemEntry()).toMatchObject({ status: 'unknown', siem: { backlog: 0 } });

    receiver.down = true;
    core.siem.start();
    const result = await core.ingest.runFetch();
    expect(result.inserted).toBeGreaterThan(100);
    await until(async () => (await siemEntry())?.siem?.circuit === 'open');
    const down = await siemEntry();
    expect(down).toMatchObject({
      status: 'failing',
      last_error: 'the receiver answered HTTP 503',
      siem: { backlog: result.inserted },
    });
    // The test breaker tries again after 50 ms: the entry is failing whether it is open or trying half-open.
    expect(['open', 'half-open']).toContain(down?.siem?.circuit);
    expect(down?.reason).toMatch(
      /^delivery stopped: the circuit is (open|half-open) after \d+ consecutive failed requests; last error: the receiver answered HTTP 503$/,
    );
    expect(down?.siem?.consecutive_failures).toBeGreaterThanOrEqual(5);
    expect(down?.siem?.oldest_pending_at).toBeInstanceOf(Date);
    expect(down?.lag_seconds).toBeGreaterThanOrEqual(0);
    // The sources keep their entries; the SIEM comes last.
    expect((await core.ingest.sourceHealth()).map((h) => h.source)).toEqual([
      'directory',
      'intune',
      'unified',
      'siem',
    ]);

    receiver.down = false;
    await until(async () => (await siemEntry())?.siem?.backlog === 0);
    const up = await siemEntry();
    expect(up).toMatchObject({
      status: 'ok',
      reason: null,
      last_error: null,
      lag_seconds: null,
      siem: { backlog: 0, oldest_pending_at: null, circuit: 'closed', consecutive_failures: 0 },
    });
    expect(up?.last_success_at?.getTime()).toBeGreaterThan(down!.last_attempt_at!.getTime());
    expect(receivedEventIds().sort()).toEqual((await storedKeys()).sort());
  });

  it('shows a backlog nobody delivers as failing once it is older than the limit', async () => {
    // No forwarder runs (as in a process that only reads, like the stdio MCP server).
    const core = await start({ stalledAfterMs: 200 });
    await core.ingest.runFetch();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const entry = (await core.ingest.sourceHealth()).find((h) => h.source === 'siem');
    expect(entry?.status).toBe('failing');
    expect(entry?.reason).toMatch(/^the oldest of \d+ pending items has waited \d+ s \(limit 0 s\)$/);
    expect(receiver.requests).toBe(0);
  });

  it('leaves source health without a SIEM entry when forwarding is off', async () => {
    running = await startSimCore(database, { sim: { events: 10, seed: 5 } });
    const sources = (await running.core.ingest.sourceHealth()).map((h) => h.source);
    expect(sources).toEqual(['directory', 'intune', 'unified']);
  });

  it('refuses to start with a SIEM URL the guard would refuse', async () => {
    await expect(
      startSimCore(database, {
        env: {
          SIEM_ENABLED: 'true',
          SIEM_WEBHOOK_URL: 'http://169.254.169.254/latest',
          SIEM_ALLOWED_DOMAINS: '169.254.169.254',
        },
      }),
    ).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/SIEM_WEBHOOK_URL: only https/),
    });
  });
});
