import { useTestDatabase } from '@aoc/sim/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../test-support/event-factory.js';
import { eventsCollection } from './collections.js';
import { ensureEventIndexes } from './indexes.js';
import { upsertEvents } from './upsert-events.js';

const database = useTestDatabase('aoc_upsert');
const first = new Date('2024-06-01T00:00:00Z');
const later = new Date('2024-06-02T00:00:00Z');

beforeAll(async () => {
  await ensureEventIndexes(database.db, { retentionDays: undefined });
});

describe('upsertEvents', () => {
  it('inserts new events and reports their dedupe keys', async () => {
    const batch = [makeEvent(), makeEvent(), makeEvent()];
    const result = await upsertEvents(database.db, batch, first);
    expect(result.inserted).toBe(3);
    expect(result.updated).toBe(0);
    expect(result.insertedKeys.sort()).toEqual(batch.map((e) => e.dedupe_key).sort());
    const stored = await eventsCollection(database.db).findOne({ dedupe_key: batch[0]!.dedupe_key });
    expect(stored?.tags).toEqual([]);
    expect(stored?.comments).toEqual([]);
    expect(stored?.ingested_at).toEqual(first);
    expect(stored?.timestamp).toEqual(batch[0]!.timestamp);
  });

  it('re-ingesting the same records creates no duplicates and keeps analyst data and first ingestion', async () => {
    const original = makeEvent({ content_type: 'Audit.Exchange', source: 'unified' });
    await upsertEvents(database.db, [original], first);
    const events = eventsCollection(database.db);
    await events.updateOne(
      { dedupe_key: original.dedupe_key },
      { $set: { tags: ['investigating'] }, $push: { comments: { author: 'ann', text: 'check', at: first } } },
    );

    const refreshed = { ...original, display_summary: 'a better summary' };
    delete refreshed.content_type;
    const newcomer = makeEvent();
    const result = await upsertEvents(database.db, [refreshed, newcomer, refreshed], later);

    expect(result).toEqual({ inserted: 1, updated: 1, insertedKeys: [newcomer.dedupe_key] });
    const copies = await events.find({ dedupe_key: original.dedupe_key }).toArray();
    expect(copies).toHaveLength(1);
    expect(copies[0]!.tags).toEqual(['investigating']);
    expect(copies[0]!.comments).toEqual([{ author: 'ann', text: 'check', at: first }]);
    expect(copies[0]!.ingested_at).toEqual(first);
    expect(copies[0]!.display_summary).toBe('a better summary');
    expect(copies[0]!).not.toHaveProperty('content_type');
  });

  it('lets concurrent writers of the same records agree on one copy each', async () => {
    const batch = Array.from({ length: 50 }, () => makeEvent());
    const results = await Promise.all([1, 2, 3].map(() => upsertEvents(database.db, batch, later)));
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(50);
    expect(results.reduce((sum, r) => sum + r.inserted + r.updated, 0)).toBe(150);
    const keys = batch.map((e) => e.dedupe_key);
    expect(await eventsCollection(database.db).countDocuments({ dedupe_key: { $in: keys } })).toBe(50);
  });

  it('does nothing for an empty batch', async () => {
    expect(await upsertEvents(database.db, [], later)).toEqual({ inserted: 0, updated: 0, insertedKeys: [] });
  });
});
