import { Collection } from 'mongodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { loadConfig } from '../config.js';
import type { NormalizedEvent } from '../events/model.js';
import { silentLogger } from '../logger.js';
import { createMappingsProvider } from '../mappings/mappings-provider.js';
import { upsertEvents } from '../store/upsert-events.js';
import { makeEvent } from '../test-support/event-factory.js';
import { createRules } from './create-rules.js';
import { alertsCollection, rulesCollection } from './store.js';

const database = useTestDatabase('aoc_rules_eval');

/** `core.rules` as one API replica builds it (each call: a replica of its own, with its own caches). */
async function replica() {
  const { rules } = await createRules({
    config: loadConfig({ MONGO_URI: database.uri, MONGO_DB: database.name }),
    log: silentLogger(),
    clock: () => new Date(),
    db: database.db,
    fetch: globalThis.fetch,
    mappings: createMappingsProvider(undefined),
    checkWebhookUrl: () => undefined,
  });
  return rules;
}

/** Store the events, then evaluate them as ingestion does; returns the names of the rules that alerted. */
async function ingest(rules: Awaited<ReturnType<typeof replica>>, events: NormalizedEvent[]) {
  await upsertEvents(database.db, events, new Date());
  const { alerts } = await rules.evaluate(events);
  return alerts.map((alert) => alert.rule_name).sort();
}

const minute = 60_000;
const base = Date.UTC(2025, 0, 6, 9, 0, 0);
const at = (minutes: number, overrides: Parameters<typeof makeEvent>[0] = {}) =>
  makeEvent({ timestamp: new Date(base + minutes * minute), ...overrides });

beforeEach(async () => {
  await database.db.dropDatabase();
});

describe('rule changes reach ingestion', () => {
  it('applies an edit made through core.rules to the very next batch', async () => {
    const rules = await replica();
    const rule = await rules.create({ name: 'watched', conditions: { operation: 'Delete user' } });
    expect(await ingest(rules, [at(0, { operation: 'Delete user' })])).toEqual(['watched']);
    await rules.update(rule._id, { name: 'watched', conditions: { operation: 'Reset password' } });
    expect(await ingest(rules, [at(1, { operation: 'Delete user' })])).toEqual([]);
    expect(await ingest(rules, [at(2, { operation: 'Reset password' })])).toEqual(['watched']);
    await rules.delete(rule._id);
    expect(await ingest(rules, [at(3, { operation: 'Reset password' })])).toEqual([]);
  });

  it('applies an edit made on another replica within about a second', async () => {
    const here = await replica();
    const there = await replica();
    const rule = await here.create({ name: 'watched', conditions: { operation: 'Delete user' } });
    expect(await ingest(here, [at(0, { operation: 'Delete user' })])).toEqual(['watched']);
    await there.update(rule._id, { name: 'watched', conditions: { operation: 'Reset password' } });
    const started = Date.now();
    let next = 1;
    // Batches keep coming; one of them, soon, is evaluated with the edited rule.
    while ((await ingest(here, [at(next, { operation: 'Reset password' })])).length === 0) {
      expect(Date.now() - started).toBeLessThan(5000);
      next += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await rulesCollection(database.db).countDocuments()).toBe(1);
  });
});

describe('threshold rules', () => {
  const burstRule = {
    name: 'burst',
    conditions: { operation: 'Delete user' },
    threshold: { count: 3, window_minutes: 10 },
  };
  const deletion = (minutes: number) => at(minutes, { operation: 'Delete user', actor_display: 'eve' });

  it('extends the open alert with later events of the same burst instead of raising another', async () => {
    const rules = await replica();
    await rules.create(burstRule);
    expect(await ingest(rules, [deletion(0), deletion(1)])).toEqual([]);
    expect(await ingest(rules, [deletion(2)])).toEqual(['burst']);
    expect(await ingest(rules, [deletion(4), deletion(5)])).toEqual([]);
    // Far outside the window: a new burst, a new alert.
    expect(await ingest(rules, [deletion(60), deletion(61), deletion(62)])).toEqual(['burst']);
    const alerts = await alertsCollection(database.db).find({}).sort({ first_seen: 1 }).toArray();
    expect(alerts.map((a) => a.event_keys.length)).toEqual([5, 3]);
    expect(alerts[0]!.last_seen).toEqual(new Date(base + 5 * minute));
  });

  it('starts a new alert when the one it was extending is gone', async () => {
    const rules = await replica();
    await rules.create(burstRule);
    expect(await ingest(rules, [deletion(0), deletion(1), deletion(2)])).toEqual(['burst']);
    await alertsCollection(database.db).deleteMany({});
    expect(await ingest(rules, [deletion(3)])).toEqual(['burst']);
    expect(await ingest(rules, [deletion(4)])).toEqual([]);
    const alerts = await alertsCollection(database.db).find({}).toArray();
    expect(alerts.map((a) => a.event_keys.length)).toEqual([5]);
  });

  /**
   * Run `work` with each alert write of this test made to take `delays[i]` ms (the i-th write; the last delay
   * for the rest) before it reaches the database, or with the i-th write failing where `delays[i]` is an Error.
   */
  async function withAlertWrites<T>(delays: (number | Error)[], work: () => Promise<T>): Promise<T> {
    const prototype = Collection.prototype as { bulkWrite: Collection['bulkWrite'] };
    const bulkWrite = prototype.bulkWrite;
    let calls = 0;
    const spy = vi.spyOn(prototype, 'bulkWrite').mockImplementation(async function (
      this: Collection,
      ...args
    ) {
      if (this.collectionName === 'alerts') {
        const delay = delays[Math.min(calls, delays.length - 1)]!;
        calls += 1;
        if (delay instanceof Error) throw delay;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      return bulkWrite.apply(this, args);
    });
    try {
      return await work();
    } finally {
      spy.mockRestore();
    }
  }

  /**
   * Store the batches, then hand them to the rules back to back, as ingestion does (each evaluated while the
   * one before is written, here with the first write the slowest); returns the rule names each batch raised.
   */
  async function ingestBackToBack(rules: Awaited<ReturnType<typeof replica>>, batches: NormalizedEvent[][]) {
    for (const batch of batches) await upsertEvents(database.db, batch, new Date());
    const results = await withAlertWrites([60, 30, 10], () =>
      Promise.all(batches.map((batch) => rules.evaluate(batch))),
    );
    return results.map(({ alerts }) => alerts.map((alert) => alert.rule_name));
  }

  it('raises one alert for a burst spread over batches evaluated back to back', async () => {
    const rules = await replica();
    await rules.create(burstRule);
    const raised = await ingestBackToBack(rules, [
      [deletion(0), deletion(1), deletion(2)],
      [deletion(3)],
      [deletion(4), deletion(5)],
      [deletion(40), deletion(41), deletion(42)],
      [deletion(43)],
    ]);
    expect(raised).toEqual([['burst'], [], [], ['burst'], []]);
    const alerts = await alertsCollection(database.db).find({}).sort({ first_seen: 1 }).toArray();
    expect(alerts.map((a) => a.event_keys.length)).toEqual([6, 4]);
    expect(alerts.map((a) => a.last_seen)).toEqual([
      new Date(base + 5 * minute),
      new Date(base + 43 * minute),
    ]);
  });

  it("joins another replica's open alert when batches are evaluated back to back", async () => {
    const before = await replica();
    await before.create(burstRule);
    expect(await ingest(before, [deletion(0), deletion(1), deletion(2)])).toEqual(['burst']);
    // A replica that never wrote that alert (it reads the stored matches at its first batch) assumes its next
    // write creates one; it does not, so the batches planned on that assumption must still find the alert.
    const after = await replica();
    expect(await ingest(after, [deletion(3)])).toEqual([]);
    expect(await ingestBackToBack(after, [[deletion(4)], [deletion(5)], [deletion(6)]])).toEqual([
      [],
      [],
      [],
    ]);
    const alerts = await alertsCollection(database.db).find({}).toArray();
    expect(alerts.map((a) => a.event_keys.length)).toEqual([7]);
    expect(alerts[0]!.last_seen).toEqual(new Date(base + 6 * minute));
  });

  it('keeps alerting after a batch whose alert write failed', async () => {
    const rules = await replica();
    await rules.create(burstRule);
    const firstBatch = [deletion(0), deletion(1), deletion(2), deletion(3)];
    const secondBatch = [deletion(4)];
    await upsertEvents(database.db, [...firstBatch, ...secondBatch], new Date());
    // The first batch's alert write fails (as with the database gone; ingestion keeps the batch journaled and
    // replays it); the batch after it, planned assuming that write landed, must still store its alert.
    await withAlertWrites([new Error('connection reset'), 0], async () => {
      const first = rules.evaluate(firstBatch);
      const second = rules.evaluate(secondBatch);
      await expect(first).rejects.toThrow('connection reset');
      expect((await second).alerts.map((alert) => alert.rule_name)).toEqual(['burst']);
    });
    const alerts = alertsCollection(database.db);
    expect((await alerts.find({}).toArray()).map((a) => a.event_keys.length)).toEqual([5]);
    // The replay of the failed batch joins that alert rather than starting another, and names it (its own
    // attempt may have stored it without queueing it for the SIEM).
    const replayed = await rules.evaluate(firstBatch, { replay: true });
    expect(replayed.alerts.map((a) => a.event_keys.length)).toEqual([5]);
    expect((await alerts.find({}).toArray()).map((a) => a.event_keys.length)).toEqual([5]);
    expect((await rules.evaluate(firstBatch)).alerts).toEqual([]);
  });

  it('counts matches another replica (or this one before a restart) stored', async () => {
    const before = await replica();
    await before.create(burstRule);
    expect(await ingest(before, [deletion(0), deletion(1)])).toEqual([]);
    const after = await replica();
    expect(await ingest(after, [deletion(2)])).toEqual(['burst']);
    const [alert] = await alertsCollection(database.db).find({}).toArray();
    expect(alert!.event_keys).toHaveLength(3);
  });
});
