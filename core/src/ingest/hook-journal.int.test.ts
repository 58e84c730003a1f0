import { afterEach, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { useTestDatabase } from '@aoc/sim/testing';
import type { Core } from '../create-core.js';
import type { NormalizedEvent } from '../events/model.js';
import { silentLogger } from '../logger.js';
import { loadMappings } from '../mappings/load-mappings.js';
import { loadFixtureCorpus, REPO_ROOT } from '../normalize/fixtures/corpus.test-helpers.js';
import { normalizeEvent } from '../normalize/normalize-event.js';
import { alertsCollection } from '../rules/store.js';
import { createIngestHook } from '../siem/ingest-hook.js';
import { outboxCollection } from '../siem/outbox.js';
import { COLLECTIONS, eventsCollection } from '../store/collections.js';
import { upsertEvents } from '../store/upsert-events.js';
import { startSimCore } from '../test-support/sim-core.js';
import { createHookJournal, journalCollection } from './hook-journal.js';
import { createIngest } from './index.js';

const database = useTestDatabase('aoc_journal');
const MINUTE = 60_000;

let running: { core: Core; stop: () => Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A core with SIEM forwarding on (never started: entries stay in the outbox) and one rule matching every event. */
async function start(clock?: () => Date): Promise<Core> {
  running = await startSimCore(database, {
    sim: { events: 300, seed: 17 },
    env: {
      SIEM_ENABLED: 'true',
      SIEM_WEBHOOK_URL: 'http://127.0.0.1:9/siem',
      SIEM_ALLOWED_DOMAINS: '127.0.0.1',
    },
    deps: { outbound: { allowLoopback: true }, ...(clock ? { clock } : {}) },
  });
  await running.core.rules.create({
    name: 'everything',
    severity: 'low',
    conditions: { source: ['directory', 'intune', 'unified'] },
  });
  return running.core;
}

/** The ingestion hook core builds (rules, then the outbox), for tests that wrap it. */
const ingestHook = (core: Core) =>
  createIngestHook({ alertsEnabled: true, rules: core.rules, siem: core.siem, log: silentLogger() });

const keysOf = async (filter: object = {}) =>
  new Set(
    (
      await eventsCollection(database.db)
        .find(filter, { projection: { dedupe_key: 1 } })
        .toArray()
    ).map((e) => e.dedupe_key),
  );
const alertKeys = async () =>
  new Set((await alertsCollection(database.db).find().toArray()).flatMap((a) => a.event_keys));
const siemEventRefs = async () =>
  (await outboxCollection(database.db).find({ dest: 'siem', kind: 'event' }).toArray()).map((e) => e.ref);
const journalSize = () => journalCollection(database.db).countDocuments();

/** Fixture records normalized: events no sim fetch produces. */
function fixtureEvents(count: number): NormalizedEvent[] {
  const mappings = loadMappings(`${REPO_ROOT}/mappings.yml`);
  return loadFixtureCorpus()
    .slice(0, count)
    .map((record) =>
      normalizeEvent(record.raw, record.source, {
        mappings,
        ...(record.contentType ? { contentType: record.contentType } : {}),
      }),
    );
}

describe('ingest journal', () => {
  it('leaves the journal empty after a normal run, with every event alerted and queued for the SIEM', async () => {
    const core = await start();
    const result = await core.ingest.runFetch();
    expect(result.inserted).toBeGreaterThan(0);
    expect(await journalSize()).toBe(0);
    const stored = await keysOf();
    expect(await alertKeys()).toEqual(stored);
    expect(new Set(await siemEventRefs())).toEqual(stored);
  });

  it('fails the run when the hook fails after the upsert, keeps the batches journaled, and replays exactly them', async () => {
    const core = await start();
    const hook = ingestHook(core);
    let failing = true;
    const ingest = createIngest(core.context, {
      // The database "fails" between the upsert and the hook's writes.
      onIngested: (events) => (failing ? Promise.reject(new Error('database went away')) : hook(events)),
      journal: { replayAfterMs: 0 },
    });
    const result = await ingest.runFetch({ sources: ['directory', 'intune'] });
    for (const source of ['directory', 'intune'] as const) {
      expect(result.per_source[source]?.status).toBe('failed');
      expect(result.per_source[source]?.error).toContain('database went away');
    }
    // Events are stored, their alerts and outbox entries are not, and no watermark moved.
    const stored = await keysOf();
    expect(stored.size).toBeGreaterThan(0);
    expect((await alertKeys()).size).toBe(0);
    expect(await siemEventRefs()).toEqual([]);
    expect(
      await database.db
        .collection(COLLECTIONS.watermarks)
        .countDocuments({ kind: 'watermark', until: { $exists: true } }),
    ).toBe(0);
    expect(await journalSize()).toBeGreaterThan(0);
    const journaled = new Set((await journalCollection(database.db).find().toArray()).flatMap((e) => e.keys));
    expect([...stored].every((key) => journaled.has(key))).toBe(true);

    // A replay while the database still fails keeps every entry.
    const entries = await journalSize();
    expect(await ingest.replayJournal()).toBe(0);
    expect(await journalSize()).toBe(entries);

    failing = false;
    await journalCollection(database.db).updateMany({}, { $set: { claim_until: new Date(0) } });
    expect(await ingest.replayJournal()).toBe(entries);
    expect(await journalSize()).toBe(0);
    expect(await alertKeys()).toEqual(stored);
    const refs = await siemEventRefs();
    expect(refs).toHaveLength(stored.size);
    expect(new Set(refs)).toEqual(stored);
  });

  it('queues for the SIEM, on replay, the alerts a failed hook had stored before its outbox write', async () => {
    const core = await start();
    const hook = ingestHook(core);
    let failing = true;
    const ingest = createIngest(core.context, {
      // The alerts are stored, then the database "fails" before the outbox entries are written.
      onIngested: async (events, options) => {
        if (!failing) return hook(events, options);
        await core.rules.evaluate(events, options);
        throw new Error('database went away');
      },
      journal: { replayAfterMs: 0 },
    });
    await ingest.runFetch({ sources: ['directory'] });
    const alerts = await alertsCollection(database.db).find().toArray();
    expect(alerts.length).toBeGreaterThan(0);
    expect(await outboxCollection(database.db).countDocuments({ kind: 'alert' })).toBe(0);

    failing = false;
    await journalCollection(database.db).updateMany({}, { $set: { claim_until: new Date(0) } });
    expect(await ingest.replayJournal()).toBeGreaterThan(0);
    // The replay stored no new alert (each event already had its own) and queued every one of them.
    expect(await alertsCollection(database.db).countDocuments()).toBe(alerts.length);
    const queued = await outboxCollection(database.db).find({ dest: 'siem', kind: 'alert' }).toArray();
    expect(new Set(queued.map((entry) => entry.ref))).toEqual(
      new Set(alerts.map((a) => a._id.toHexString())),
    );
    expect(queued).toHaveLength(alerts.length);
  });

  it('replays, at the start of the next run, a batch stored by a process that died before its hook', async () => {
    let offset = 0;
    const core = await start(() => new Date(Date.now() + offset));
    const events = fixtureEvents(12);
    const keys = events.map((e) => e.dedupe_key);
    // The dead process: its journal entry and its upsert landed, the hook never ran.
    await createHookJournal({ db: database.db, clock: core.clock }).record('directory', keys);
    await upsertEvents(database.db, events, core.clock());
    expect(await core.ingest.replayJournal()).toBe(0); // too young: its writer might still be hooking it

    offset = 10 * MINUTE;
    await core.ingest.runFetch({ sources: ['directory'] });
    expect(await journalSize()).toBe(0);
    const alerted = await alertKeys();
    const refs = new Set(await siemEventRefs());
    for (const key of keys) {
      expect(alerted.has(key)).toBe(true);
      expect(refs.has(key)).toBe(true);
    }
    expect(await alertKeys()).toEqual(await keysOf());
  });

  it('never lets two replicas replay one entry, and leaves out events an earlier batch inserted', async () => {
    const db = database.db;
    await Promise.all([
      db.collection(COLLECTIONS.ingestJournal).deleteMany({}),
      eventsCollection(db).deleteMany({}),
    ]);
    const clock = () => new Date();
    const events = fixtureEvents(40);
    // An event stored long before: a batch that saw it again must not hand it to the hook again.
    const old = events[0]!;
    await upsertEvents(db, [old], new Date(Date.now() - 10 * MINUTE));
    const writer = createHookJournal({ db, clock, replayAfterMs: 0 });
    const batches: string[][] = [];
    for (let i = 0; i < events.length; i += 5) {
      const batch = events.slice(i, i + 5);
      batches.push(batch.map((e) => e.dedupe_key));
      await writer.record('directory', batches.at(-1)!);
      await upsertEvents(db, batch, clock());
    }
    const other = new MongoClient(database.uri);
    await other.connect();
    try {
      const hooked: { replica: string; keys: string[] }[] = [];
      const hookOf = (replica: string) => async (batch: readonly NormalizedEvent[]) => {
        hooked.push({ replica, keys: batch.map((e) => e.dedupe_key) });
        await new Promise((resolve) => setTimeout(resolve, 15));
      };
      const replicas = [
        createHookJournal({ db, clock, replayAfterMs: 0 }),
        createHookJournal({ db: other.db(database.name), clock, replayAfterMs: 0 }),
      ];
      const [a, b] = await Promise.all([replicas[0]!.replay(hookOf('a')), replicas[1]!.replay(hookOf('b'))]);
      expect(a + b).toBe(batches.length);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
      const all = hooked.flatMap((h) => h.keys);
      expect(all).toHaveLength(new Set(all).size);
      expect(new Set(all)).toEqual(new Set(events.slice(1).map((e) => e.dedupe_key)));
      // Each replay hands on one batch, in its write order.
      const expected = batches.map((keys) =>
        [...new Set(keys)].filter((key) => key !== old.dedupe_key).join(','),
      );
      expect(hooked.map((h) => h.keys.join(',')).sort()).toEqual(expected.sort());
      expect(await journalSize()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
