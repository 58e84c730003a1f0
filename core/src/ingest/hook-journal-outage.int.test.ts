import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTcpProxy, useTestDatabase } from '@aoc/sim/testing';
import type { TcpProxy } from '@aoc/sim/testing';
import { silentLogger } from '../logger.js';
import { alertsCollection } from '../rules/store.js';
import { createIngestHook } from '../siem/ingest-hook.js';
import { outboxCollection } from '../siem/outbox.js';
import { eventsCollection } from '../store/collections.js';
import { startSimCore } from '../test-support/sim-core.js';
import { journalCollection } from './hook-journal.js';
import { createIngest } from './index.js';

const database = useTestDatabase('aoc_journal_outage');

let gate: TcpProxy;
let client: MongoClient;

beforeAll(async () => {
  const target = new URL(database.uri);
  gate = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  const proxied = new URL(database.uri);
  proxied.host = `127.0.0.1:${gate.port}`;
  client = new MongoClient(proxied.toString(), { serverSelectionTimeoutMS: 1000, directConnection: true });
  await client.connect();
});

afterAll(async () => {
  await client.close();
  await gate.stop();
});

it('a database cut off between a batch upsert and its hook loses no alert or outbox entry', async () => {
  const { core, stop } = await startSimCore(database, {
    sim: { events: 200, seed: 23 },
    env: {
      SIEM_ENABLED: 'true',
      SIEM_WEBHOOK_URL: 'http://127.0.0.1:9/siem',
      SIEM_ALLOWED_DOMAINS: '127.0.0.1',
    },
    deps: { outbound: { allowLoopback: true }, mongoClient: client },
  });
  try {
    await core.rules.create({
      name: 'every directory event',
      severity: 'high',
      conditions: { source: ['directory'] },
    });
    const hook = createIngestHook({
      alertsEnabled: true,
      rules: core.rules,
      siem: core.siem,
      log: silentLogger(),
    });
    let cutAfterUpsert = true;
    const ingest = createIngest(core.context, {
      onIngested: async (events) => {
        if (cutAfterUpsert) {
          cutAfterUpsert = false;
          void gate.stop();
        }
        await hook(events);
      },
      journal: { replayAfterMs: 0 },
      // The outage keeps the run from releasing its lease: a short one lets the next run start soon.
      leaseTtlMs: 600,
    });
    const failed = await ingest.runFetch({ sources: ['directory'] });
    expect(failed.per_source.directory?.status).toBe('failed');
    await gate.start();

    // Read through the test's own connection: what the outage left behind.
    const db = database.db;
    const stored = new Set((await eventsCollection(db).find().toArray()).map((e) => e.dedupe_key));
    expect(stored.size).toBeGreaterThan(0);
    expect(await alertsCollection(db).countDocuments()).toBe(0);
    expect(await journalCollection(db).countDocuments()).toBeGreaterThan(0);

    expect(await ingest.replayJournal()).toBeGreaterThan(0);
    expect(await journalCollection(db).countDocuments()).toBe(0);
    const alerted = new Set((await alertsCollection(db).find().toArray()).flatMap((a) => a.event_keys));
    expect(alerted).toEqual(stored);
    const refs = (await outboxCollection(db).find({ dest: 'siem', kind: 'event' }).toArray()).map(
      (e) => e.ref,
    );
    expect(new Set(refs)).toEqual(stored);
    // The next run completes the source and moves its watermark.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const next = await ingest.runFetch({ sources: ['directory'] });
    expect(next.per_source.directory?.status).not.toBe('failed');
    expect(await journalCollection(db).countDocuments()).toBe(0);
  } finally {
    await gate.start();
    await stop();
  }
});
