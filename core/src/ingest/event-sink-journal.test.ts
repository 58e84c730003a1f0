import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../events/model.js';
import { createEventSink } from './event-sink.js';
import type { HookJournal } from './hook-journal.js';

const normalize = (raw: Record<string, unknown>) => ({ dedupe_key: raw.key }) as unknown as NormalizedEvent;
const records = (...keys: string[]) => keys.map((key) => ({ key }));

/** A journal in memory that logs what the sink asks of it, in order with the upserts. */
function journalLog(log: string[]) {
  const entries = new Map<string, string[]>();
  const journal: Pick<HookJournal, 'record' | 'remove'> = {
    record: (_source, keys) => {
      const id = new ObjectId();
      entries.set(id.toHexString(), [...keys]);
      log.push(`record ${keys.join(',')}`);
      return Promise.resolve(id);
    },
    remove: (ids) => {
      for (const id of ids) entries.delete(id.toHexString());
      log.push(`remove ${ids.length}`);
      return Promise.resolve();
    },
  };
  return { journal, entries };
}

describe('event sink with the ingest journal', () => {
  it('journals each batch before its upsert and removes the entries after their hooks, a few per round trip', async () => {
    const log: string[] = [];
    const { journal, entries } = journalLog(log);
    const sink = createEventSink({
      normalize,
      upsert: (batch) => {
        log.push(`upsert ${batch.map((e) => e.dedupe_key).join(',')}`);
        const insertedKeys = batch.map((e) => e.dedupe_key).filter((key) => key !== 'seen');
        return Promise.resolve({ inserted: insertedKeys.length, updated: 0, insertedKeys });
      },
      batchSize: 2,
      onIngested: () => Promise.resolve(),
      journal,
    });
    const writer = sink.open('directory', () => undefined);
    const keys = Array.from({ length: 20 }, (_v, i) => `k${i}`);
    await writer.write(records(...keys, 'seen', 'seen'), {});
    await writer.flush();
    for (let i = 0; i < keys.length; i += 2) {
      const batch = `${keys[i]},${keys[i + 1]}`;
      expect(log.indexOf(`record ${batch}`)).toBeLessThan(log.indexOf(`upsert ${batch}`));
    }
    // A batch with nothing new needs no hook, and its entry goes too; duplicate keys are journaled once.
    expect(log).toContain('record seen');
    expect(entries.size).toBe(0);
    const removals = log.filter((line) => line.startsWith('remove'));
    expect(removals).toEqual(['remove 8', 'remove 3']);
  });

  it('keeps only the entry of the batch whose hook failed, and flush rethrows', async () => {
    const { journal, entries } = journalLog([]);
    const sink = createEventSink({
      normalize,
      upsert: (batch) =>
        Promise.resolve({
          inserted: batch.length,
          updated: 0,
          insertedKeys: batch.map((e) => e.dedupe_key),
        }),
      batchSize: 1,
      onIngested: (events) =>
        events[0]?.dedupe_key === 'b' ? Promise.reject(new Error('outbox write failed')) : Promise.resolve(),
      journal,
    });
    const writer = sink.open('directory', () => undefined);
    await writer.write(records('a', 'b'), {});
    await expect(writer.flush()).rejects.toThrow('outbox write failed');
    expect([...entries.values()]).toEqual([['b']]);
  });

  it('journals nothing without a hook', async () => {
    const log: string[] = [];
    const { journal } = journalLog(log);
    const sink = createEventSink({
      normalize,
      upsert: (batch) => Promise.resolve({ inserted: batch.length, updated: 0, insertedKeys: [] }),
      batchSize: 10,
      journal,
    });
    const writer = sink.open('directory', () => undefined);
    await writer.write(records('a', 'b'), {});
    await writer.flush();
    expect(log).toEqual([]);
  });
});
