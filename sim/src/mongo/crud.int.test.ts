import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing.js';

const t = useTestDatabase('conf_crud');

interface Event {
  _id: string;
  timestamp: Date;
  op: string;
  n: number;
  tags?: string[];
}

const day = (d: number): Date => new Date(Date.UTC(2026, 0, d));

describe('find', () => {
  beforeAll(async () => {
    const docs: Event[] = Array.from({ length: 30 }, (_, i) => ({
      _id: `e${String(i).padStart(2, '0')}`,
      timestamp: day(1 + (i % 10)),
      op: i % 3 === 0 ? 'Add' : 'Remove',
      n: i,
      tags: i % 2 === 0 ? ['even', `t${i % 5}`] : ['odd'],
    }));
    await t.db.collection<Event>('events').insertMany(docs);
  });

  it('sorts on two keys, limits and projects', async () => {
    const rows = await t.db
      .collection<Event>('events')
      .find({ op: 'Add' }, { sort: { timestamp: -1, _id: -1 }, limit: 3, projection: { _id: 1, n: 1 } })
      .toArray();
    expect(rows).toEqual([
      { _id: 'e09', n: 9 },
      { _id: 'e18', n: 18 },
      { _id: 'e27', n: 27 },
    ]);
  });

  it('pages with a keyset filter on (timestamp, _id)', async () => {
    const page = await t.db
      .collection<Event>('events')
      .find({ $or: [{ timestamp: { $lt: day(5) } }, { timestamp: day(5), _id: { $lt: 'e24' } }] })
      .sort({ timestamp: -1, _id: -1 })
      .limit(4)
      .toArray();
    expect(page.map((e) => e._id)).toEqual(['e14', 'e04', 'e23', 'e13']);
  });

  it('skips, and streams results past the first batch with getMore', async () => {
    const ids = await t.db
      .collection<Event>('events')
      .find({}, { batchSize: 7 })
      .sort({ n: 1 })
      .skip(5)
      .map((e) => e.n)
      .toArray();
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => i + 5));
  });

  it('matches array fields with $in, $all, $regex and $elemMatch', async () => {
    const events = t.db.collection<Event>('events');
    expect(await events.countDocuments({ tags: { $in: ['t1', 't2'] } })).toBe(6);
    expect(await events.countDocuments({ tags: { $all: ['even', 't0'] } })).toBe(3);
    expect(await events.countDocuments({ tags: { $regex: '^T3', $options: 'i' } })).toBe(3);
    expect(await events.countDocuments({ tags: { $elemMatch: { $eq: 'odd' } } })).toBe(15);
    expect(await events.countDocuments({ tags: 'odd' })).toBe(15);
  });

  it('counts, estimates and lists distinct values', async () => {
    const events = t.db.collection<Event>('events');
    expect(await events.countDocuments({ op: 'Add' })).toBe(10);
    expect(await events.countDocuments({}, { skip: 25 })).toBe(5);
    expect(await events.estimatedDocumentCount()).toBe(30);
    expect((await events.distinct('op')).sort()).toEqual(['Add', 'Remove']);
    expect((await events.distinct('tags', { op: 'Add' })).sort()).toEqual([
      'even',
      'odd',
      't0',
      't1',
      't2',
      't3',
      't4',
    ]);
  });

  it('returns nothing from a collection that does not exist', async () => {
    expect(await t.db.collection('missing').find({}).toArray()).toEqual([]);
    expect(await t.db.collection('missing').countDocuments()).toBe(0);
  });

  it('rejects an unknown query operator, naming it', async () => {
    await expect(
      t.db
        .collection('events')
        .find({ n: { $bogus: 1 } })
        .toArray(),
    ).rejects.toMatchObject({
      code: 2,
      message: expect.stringContaining('$bogus') as string,
    });
  });

  it('answers $text without a text index as the server does', async () => {
    await expect(
      t.db
        .collection('events')
        .find({ $text: { $search: 'x' } })
        .toArray(),
    ).rejects.toMatchObject({ code: 27 });
  });
});

describe('update', () => {
  it('upserts from the filter (dotted paths too) with $setOnInsert, then updates without it', async () => {
    const c = t.db.collection('upserts');
    const first = await c.updateOne(
      { key: 'k1', 'meta.src': 'm365' },
      { $set: { seen: 1 }, $setOnInsert: { created: 'once' } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    const second = await c.updateOne(
      { key: 'k1', 'meta.src': 'm365' },
      { $set: { seen: 2 }, $setOnInsert: { created: 'twice' } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const doc = await c.findOne({ key: 'k1' }, { projection: { _id: 0 } });
    expect(doc).toEqual({ key: 'k1', meta: { src: 'm365' }, seen: 2, created: 'once' });
  });

  it('lets an upsert choose the new _id with $setOnInsert, but not change one the filter fixed', async () => {
    const c = t.db.collection<{ _id: string; key: string; seen?: number }>('upsert_ids');
    const first = await c.updateOne(
      { key: 'k2' },
      { $set: { seen: 1 }, $setOnInsert: { _id: 'chosen' } },
      { upsert: true },
    );
    expect(first.upsertedId).toBe('chosen');
    await c.updateOne({ key: 'k2' }, { $set: { seen: 2 }, $setOnInsert: { _id: 'other' } }, { upsert: true });
    expect(await c.find({ key: 'k2' }).toArray()).toEqual([{ _id: 'chosen', key: 'k2', seen: 2 }]);
    await expect(
      c.updateOne({ _id: 'fixed' }, { $setOnInsert: { _id: 'different' } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 66 });
  });

  it('applies $addToSet, $push, $max, $min and $inc', async () => {
    const c = t.db.collection<{
      _id: string;
      tags: string[];
      hi: number;
      lo: number;
      n: number;
      log: string[];
    }>('ops');
    await c.insertOne({ _id: 'a', tags: ['x'], hi: 5, lo: 5, n: 1, log: [] });
    await c.updateOne(
      { _id: 'a' },
      {
        $addToSet: { tags: { $each: ['x', 'y'] } },
        $push: { log: 'p' },
        $max: { hi: 9 },
        $min: { lo: 2 },
        $inc: { n: 2 },
      },
    );
    expect(await c.findOne({ _id: 'a' })).toEqual({
      _id: 'a',
      tags: ['x', 'y'],
      hi: 9,
      lo: 2,
      n: 3,
      log: ['p'],
    });
    const unchanged = await c.updateOne({ _id: 'a' }, { $max: { hi: 1 } });
    expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('updates many and replaces one, keeping _id', async () => {
    const c = t.db.collection('many');
    await c.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    expect(await c.updateMany({ g: 1 }, { $set: { flag: true } })).toMatchObject({
      matchedCount: 2,
      modifiedCount: 2,
    });
    const target = await c.findOne({ g: 2 });
    await c.replaceOne({ g: 2 }, { g: 3, replaced: true });
    expect(await c.findOne({ g: 3 })).toEqual({ _id: target?._id, g: 3, replaced: true });
  });

  it('applies pipeline updates, $pull with a condition and positional $ updates', async () => {
    const c = t.db.collection<{
      _id: string;
      a: string;
      b: string;
      full?: string;
      xs: number[];
      items: Array<{ k: string; v: number }>;
    }>('pipe');
    await c.insertOne({
      _id: 'p',
      a: 'x',
      b: 'y',
      xs: [1, 5, 9],
      items: [
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ],
    });
    await c.updateOne({ _id: 'p' }, [{ $set: { full: { $concat: ['$a', '-', '$b'] } } }]);
    await c.updateOne({ _id: 'p' }, { $pull: { xs: { $gte: 5 } } });
    await c.updateOne({ _id: 'p', 'items.k': 'b' }, { $set: { 'items.$.v': 20 } });
    expect(await c.findOne({ _id: 'p' })).toEqual({
      _id: 'p',
      a: 'x',
      b: 'y',
      full: 'x-y',
      xs: [1],
      items: [
        { k: 'a', v: 1 },
        { k: 'b', v: 20 },
      ],
    });
  });

  it('refuses conflicting paths (40) and a changed _id (66)', async () => {
    const c = t.db.collection<{ _id: string; a: number }>('bad');
    await c.insertOne({ _id: 'b', a: 1 });
    await expect(c.updateOne({}, { $set: { a: 1 }, $inc: { a: 1 } })).rejects.toMatchObject({ code: 40 });
    await expect(c.updateOne({ _id: 'b' }, { $set: { _id: 'c' } })).rejects.toMatchObject({ code: 66 });
    await expect(c.updateOne({}, { $frobnicate: { a: 1 } })).rejects.toMatchObject({ code: 9 });
  });

  it('reports per-statement write errors for ordered and unordered bulk writes', async () => {
    const c = t.db.collection<{ _id: number; v?: number }>('bulk');
    await c.insertOne({ _id: 1 });
    const ordered = await c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 3 }]).catch((e: unknown) => e);
    expect(ordered).toMatchObject({ code: 11000, insertedCount: 1 });
    const unordered = (await c
      .bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { updateOne: { filter: { _id: 9 }, update: { $set: { v: 1 } }, upsert: true } },
          { insertOne: { document: { _id: 2 } } },
          { insertOne: { document: { _id: 4 } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e)) as {
      writeErrors: Array<{ index: number; code: number }>;
      result: { insertedCount: number; upsertedCount: number };
    };
    expect(unordered.writeErrors.map((w) => [w.index, w.code])).toEqual([
      [0, 11000],
      [2, 11000],
    ]);
    expect(unordered.result.insertedCount).toBe(1);
    expect(unordered.result.upsertedCount).toBe(1);
  });
});

describe('findOneAndUpdate and delete', () => {
  it('returns the document after the update, upserting when missing', async () => {
    const c = t.db.collection('fam');
    const created = await c.findOneAndUpdate(
      { name: 'x' },
      { $inc: { v: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(created).toMatchObject({ name: 'x', v: 1 });
    const updated = await c.findOneAndUpdate(
      { name: 'x' },
      { $inc: { v: 1 } },
      { returnDocument: 'after', projection: { _id: 0 } },
    );
    expect(updated).toEqual({ name: 'x', v: 2 });
    const before = await c.findOneAndUpdate({ name: 'x' }, { $inc: { v: 1 } });
    expect(before).toMatchObject({ v: 2 });
    expect(await c.findOneAndUpdate({ name: 'nobody' }, { $set: { v: 0 } })).toBeNull();
  });

  it('deletes one or many and deletes via findOneAndDelete', async () => {
    const c = t.db.collection('del');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }, { k: 3 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: { $gte: 1 } })).deletedCount).toBe(3);
    await c.insertOne({ k: 5 });
    expect(await c.findOneAndDelete({ k: 5 })).toMatchObject({ k: 5 });
    expect(await c.countDocuments()).toBe(0);
  });
});
