import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing.js';

const t = useTestDatabase('conf_idx');

describe('indexes', () => {
  it('creates, lists and drops indexes with their options', async () => {
    const c = t.db.collection('listing');
    await c.createIndexes([
      { key: { timestamp: -1, _id: -1 }, name: 'ts_desc' },
      { key: { created: 1 }, name: 'ttl', expireAfterSeconds: 3600 },
      {
        key: { tenant: 1, key: 1 },
        name: 'tenant_key',
        unique: true,
        partialFilterExpression: { key: { $exists: true } },
      },
    ]);
    const listed = await c.listIndexes().toArray();
    expect(listed.map((i) => i.name as string)).toEqual(['_id_', 'ts_desc', 'ttl', 'tenant_key']);
    expect(listed[1]?.key).toEqual({ timestamp: -1, _id: -1 });
    expect(listed[2]?.expireAfterSeconds).toBe(3600);
    expect(listed[3]).toMatchObject({ unique: true, partialFilterExpression: { key: { $exists: true } } });
    await c.dropIndex('ts_desc');
    expect((await c.listIndexes().toArray()).map((i) => i.name as string)).toEqual([
      '_id_',
      'ttl',
      'tenant_key',
    ]);
  });

  it('changes a TTL with collMod', async () => {
    const c = t.db.collection('ttlmod');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 60, name: 'at_ttl' });
    const reply = await t.db.command({
      collMod: 'ttlmod',
      index: { name: 'at_ttl', expireAfterSeconds: 120 },
    });
    expect(reply).toMatchObject({ expireAfterSeconds_old: 60, expireAfterSeconds_new: 120 });
    const [, ttl] = await c.listIndexes().toArray();
    expect(ttl?.expireAfterSeconds).toBe(120);
  });

  it('rejects dropping a missing index, the _id index, and listing a missing collection', async () => {
    const c = t.db.collection('listing');
    await expect(c.dropIndex('nope')).rejects.toMatchObject({ code: 27 });
    await expect(c.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await expect(t.db.collection('never').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });

  it('refuses the same key under another name, and another key under the same name', async () => {
    const c = t.db.collection('conflicts');
    await c.createIndex({ a: 1 }, { name: 'first' });
    await expect(c.createIndex({ a: 1 }, { name: 'second' })).rejects.toMatchObject({ code: 85 });
    await expect(c.createIndex({ b: 1 }, { name: 'first' })).rejects.toMatchObject({ code: 86 });
    expect(await c.createIndex({ a: 1 }, { name: 'first' })).toBe('first');
  });
});

describe('unique indexes', () => {
  it('reject a duplicate on insert with keyPattern and keyValue', async () => {
    const c = t.db.collection('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x' });
    const error = await c.insertOne({ email: 'a@x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x' } });
  });

  it('reject a duplicate made by an update or an upsert', async () => {
    const c = t.db.collection('uniq');
    await c.insertOne({ email: 'b@x' });
    await expect(c.updateOne({ email: 'b@x' }, { $set: { email: 'a@x' } })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(
      c.updateOne({ other: 1 }, { $set: { email: 'a@x' } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await c.countDocuments({ email: 'b@x' })).toBe(1);
  });

  it('treat missing fields as null, once', async () => {
    const c = t.db.collection('uniq');
    await c.insertOne({ nothing: 1 });
    await expect(c.insertOne({ nothing: 2 })).rejects.toMatchObject({ code: 11000 });
  });

  it('are enforced on compound keys', async () => {
    const c = t.db.collection('compound');
    await c.createIndex({ tenant: 1, key: 1 }, { unique: true });
    await c.insertMany([
      { tenant: 't1', key: 'k' },
      { tenant: 't2', key: 'k' },
    ]);
    const error = await c.insertOne({ tenant: 't1', key: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 11000, keyValue: { tenant: 't1', key: 'k' } });
  });

  it('are enforced per array element (multikey), but not within one document', async () => {
    const c = t.db.collection('multikey');
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ tags: ['a', 'b', 'b'] });
    await expect(c.insertOne({ tags: ['c', 'b'] })).rejects.toMatchObject({ code: 11000 });
    await c.insertOne({ tags: ['c'] });
    expect(await c.countDocuments()).toBe(2);
  });

  it('only cover documents matching a partial filter', async () => {
    const c = t.db.collection('partial');
    await c.createIndex({ key: 1 }, { unique: true, partialFilterExpression: { live: true } });
    await c.insertMany([
      { key: 1, live: false },
      { key: 1, live: false },
      { key: 1, live: true },
    ]);
    await expect(c.insertOne({ key: 1, live: true })).rejects.toMatchObject({ code: 11000 });
  });

  it('cannot be built over existing duplicates', async () => {
    const c = t.db.collection('late');
    await c.insertMany([{ v: 1 }, { v: 1 }]);
    await expect(c.createIndex({ v: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
  });

  it('make _id unique', async () => {
    const c = t.db.collection('ids');
    await c.insertOne({ _id: 7 as never });
    await expect(c.insertOne({ _id: 7 as never })).rejects.toMatchObject({
      code: 11000,
      keyValue: { _id: 7 },
    });
  });
});

describe('explain', () => {
  it('names the index a find can use, or a collection scan', async () => {
    const c = t.db.collection('planned');
    await c.createIndex({ timestamp: -1, _id: -1 }, { name: 'by_time' });
    await c.insertMany([{ timestamp: new Date(), op: 'a' }]);
    const indexed = await c
      .find({ timestamp: { $lt: new Date() } })
      .sort({ timestamp: -1 })
      .explain();
    expect(JSON.stringify(indexed.queryPlanner.winningPlan)).toContain('by_time');
    expect(await c.find({}).hint('by_time').toArray()).toHaveLength(1);
    expect(await c.countDocuments({}, { hint: { timestamp: -1, _id: -1 } })).toBe(1);
    await expect(c.find({}).hint('no_such_index').toArray()).rejects.toMatchObject({ code: 2 });
    await expect(c.countDocuments({}, { hint: { nope: 1 } })).rejects.toMatchObject({ code: 2 });
    const scanned = await c.find({ op: 'a' }).explain();
    expect(JSON.stringify(scanned.queryPlanner.winningPlan)).toContain('COLLSCAN');
  });
});
