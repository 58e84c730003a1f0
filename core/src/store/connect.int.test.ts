import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { startTcpProxy } from '@aoc/sim/testing';
import { connectMongo } from './connect.js';

const uri = inject('mongoUri');

function capturingLogger() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { log, lines };
}

/** What the driver's monitor emits when it starts a check; sent by hand, it is a check that never ends. */
function hangHeartbeat(client: Awaited<ReturnType<typeof connectMongo>>) {
  client.emit('serverHeartbeatStarted', { connectionId: 'hung-check', awaited: false });
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Short driver timeouts put the watchdog's limit for a polled check at 2 × 500 + 1000 = 2 s.
const FAST = { connectTimeoutMS: 500, heartbeatFrequencyMS: 500 };

describe('connectMongo', () => {
  it('reconnects a client whose heartbeat hangs, and the Db taken before keeps reading and writing', async () => {
    const { log, lines } = capturingLogger();
    const client = await connectMongo(uri, { ...FAST, log });
    const name = `aoc_connect_${randomUUID().slice(0, 8)}`;
    const db = client.db(name);
    try {
      await db.collection('items').insertOne({ n: 1 });
      let topologiesOpened = 0;
      client.on('topologyOpening', () => (topologiesOpened += 1));
      hangHeartbeat(client);
      await waitFor(() => lines.some((line) => line.includes('reconnected')), 10_000);
      expect(topologiesOpened).toBe(1);
      expect(lines.filter((line) => line.includes('monitor stuck'))).toHaveLength(1);
      // Same Db object, new topology underneath: earlier writes are there and new ones land.
      await db.collection('items').insertOne({ n: 2 });
      expect(await db.collection('items').countDocuments()).toBe(2);
    } finally {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    }
  }, 20_000);

  it('keeps reconnecting while the database is away, and is back with it', async () => {
    const { log, lines } = capturingLogger();
    const target = new URL(uri);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 27017) });
    const { port } = proxy;
    const client = await connectMongo(`mongodb://127.0.0.1:${port}/`, {
      ...FAST,
      serverSelectionTimeoutMS: 300,
      log,
    });
    const db = client.db(`aoc_connect_${randomUUID().slice(0, 8)}`);
    try {
      await db.collection('items').insertOne({ n: 1 });
      await proxy.stop();
      hangHeartbeat(client);
      await waitFor(() => lines.some((line) => line.includes('reconnect failed; retrying')), 10_000);
      await expect(db.collection('items').countDocuments()).rejects.toThrow();
      await proxy.start();
      await waitFor(() => lines.some((line) => line.includes('reconnected')), 10_000);
      expect(await db.collection('items').countDocuments()).toBe(1);
    } finally {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
      await proxy.stop();
    }
  }, 30_000);

  it('leaves a closed client closed, whatever heartbeats were pending', async () => {
    const { log, lines } = capturingLogger();
    const client = await connectMongo(uri, { ...FAST, log });
    hangHeartbeat(client);
    await client.close();
    let topologiesOpened = 0;
    client.on('topologyOpening', () => (topologiesOpened += 1));
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(topologiesOpened).toBe(0);
    expect(lines).toEqual([]);
  }, 10_000);

  it('refuses an unreachable server with UNAVAILABLE, the password masked', async () => {
    const error = await connectMongo('mongodb://aoc:s3cret-pw@127.0.0.1:1/', {
      serverSelectionTimeoutMS: 300,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(String((error as Error).message)).toContain('127.0.0.1:1');
    expect(String((error as Error).message)).not.toContain('s3cret-pw');
  });
});
