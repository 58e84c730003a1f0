import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../events/model.js';
import type { UpsertResult } from '../store/upsert-events.js';
import { createEventSink } from './event-sink.js';

/** A promise settled from outside, to hold an upsert or a hook where the test wants it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  // A few turns of the event loop let every callback already due run.
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

const record = (key: string) => ({ key });
const normalize = (raw: Record<string, unknown>) => ({ dedupe_key: raw.key }) as unknown as NormalizedEvent;
const insertedAll = (batch: readonly NormalizedEvent[]): UpsertResult => ({
  inserted: batch.length,
  updated: 0,
  insertedKeys: batch.map((e) => e.dedupe_key),
});

describe('event sink and the ingestion hook', () => {
  it('starts the next upsert while a batch hook is still writing, and flush waits for that hook', async () => {
    const upserts: string[][] = [];
    const hook = deferred();
    const hooked: string[][] = [];
    const sink = createEventSink({
      normalize,
      upsert: (batch) => {
        upserts.push(batch.map((e) => e.dedupe_key));
        return Promise.resolve(insertedAll(batch));
      },
      batchSize: 1,
      maxInFlight: 1,
      onIngested: (events) => {
        hooked.push(events.map((e) => e.dedupe_key));
        return hooked.length === 1 ? hook.promise : Promise.resolve();
      },
    });
    const writer = sink.open('directory', () => undefined);
    await writer.write([record('a'), record('b')], {});
    const flushed = writer.flush();
    // The first batch's hook (its alerts) is still pending, yet the second batch is stored and hooked.
    expect(await settled(flushed)).toBe(false);
    expect(upserts).toEqual([['a'], ['b']]);
    expect(hooked).toEqual([['a'], ['b']]);
    hook.resolve();
    await flushed;
  });

  it('fails flush when a hook fails, so the caller never moves a watermark past unrecorded alerts', async () => {
    const sink = createEventSink({
      normalize,
      upsert: (batch) => Promise.resolve(insertedAll(batch)),
      batchSize: 10,
      onIngested: () => Promise.reject(new Error('alerts not written')),
    });
    const writer = sink.open('directory', () => undefined);
    await writer.write([record('a')], {});
    await expect(writer.flush()).rejects.toThrow('alerts not written');
  });

  it('hands batches to the hook in write order, and only their new events', async () => {
    const first = deferred<UpsertResult>();
    const calls: string[][] = [];
    const sink = createEventSink({
      normalize,
      upsert: (batch) =>
        batch[0]!.dedupe_key === 'a'
          ? first.promise
          : Promise.resolve({ inserted: 1, updated: 1, insertedKeys: ['d'] }),
      batchSize: 2,
      maxInFlight: 2,
      onIngested: (events) => {
        calls.push(events.map((e) => e.dedupe_key));
        return Promise.resolve();
      },
    });
    const counts: number[] = [];
    const writer = sink.open('directory', (c) => counts.push(c.inserted));
    await writer.write([record('a'), record('b'), record('c'), record('d')], {});
    // The second upsert is done before the first: its batch still waits for the first's turn.
    expect(await settled(writer.flush())).toBe(false);
    expect(calls).toEqual([]);
    first.resolve({ inserted: 2, updated: 0, insertedKeys: ['a', 'b'] });
    await writer.flush();
    expect(calls).toEqual([['a', 'b'], ['d']]);
    expect(counts).toEqual([2, 1]);
  });
});
