import { useTestDatabase } from '@aoc/sim/testing';
import { describe, expect, it } from 'vitest';
import { eventsCollection } from './collections.js';
import { ensureEventIndexes, eventIndexSpecs } from './indexes.js';

const database = useTestDatabase('aoc_indexes');

async function indexes() {
  return eventsCollection(database.db).indexes();
}

describe('ensureEventIndexes', () => {
  it('creates every event index once and is idempotent', async () => {
    const first = await ensureEventIndexes(database.db, { retentionDays: undefined });
    expect(first.created).toHaveLength(eventIndexSpecs(undefined).length);
    const second = await ensureEventIndexes(database.db, { retentionDays: undefined });
    expect(second).toEqual({ created: [], changed: [], dropped: [], degraded: [] });
    const list = await indexes();
    expect(list.find((index) => index.key.dedupe_key === 1)?.unique).toBe(true);
    expect(list.map((index) => index.key)).toContainEqual({ timestamp: -1, _id: -1 });
    expect(list.map((index) => index.key)).toContainEqual({ search_terms: 1, timestamp: -1, _id: -1 });
    expect(list.some((index) => index.expireAfterSeconds !== undefined)).toBe(false);
  });

  it('adds, changes and removes the TTL index as RETENTION_DAYS changes', async () => {
    const ttl = async () => (await indexes()).find((index) => index.expireAfterSeconds !== undefined);

    expect((await ensureEventIndexes(database.db, { retentionDays: 30 })).created).toEqual(['timestamp_ttl']);
    expect((await ttl())?.expireAfterSeconds).toBe(30 * 86_400);

    expect((await ensureEventIndexes(database.db, { retentionDays: 90 })).changed).toHaveLength(1);
    expect((await ttl())?.expireAfterSeconds).toBe(90 * 86_400);

    expect((await ensureEventIndexes(database.db, { retentionDays: 90 })).changed).toEqual([]);

    expect((await ensureEventIndexes(database.db, { retentionDays: undefined })).dropped).toHaveLength(1);
    expect(await ttl()).toBeUndefined();
  });

  it('accepts an index the original service created under another name', async () => {
    const db = database.client.db(`${database.name}_legacy`);
    try {
      await db.collection('events').createIndex({ dedupe_key: 1 }, { unique: true, name: 'dedupe_key_1' });
      const report = await ensureEventIndexes(db, { retentionDays: undefined });
      expect(report.created).not.toContain('dedupe_key_unique');
      expect(report.changed).toEqual([]);
    } finally {
      await db.dropDatabase();
    }
  });
});
