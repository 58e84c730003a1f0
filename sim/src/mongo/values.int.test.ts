import { BSONRegExp, Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing.js';

const t = useTestDatabase('conf_values');

describe('BSON equality and order', () => {
  beforeAll(async () => {
    await t.db
      .collection('mixed')
      .insertMany([
        { _id: 'date', v: new Date(0) },
        { _id: 'bool', v: true },
        { _id: 'oid', v: new ObjectId('000000000000000000000001') },
        { _id: 'obj', v: { a: 1 } },
        { _id: 'str', v: 'text' },
        { _id: 'num', v: 3 },
        { _id: 'null', v: null },
        { _id: 'missing' },
      ] as never[]);
    await t.db.collection('numbers').insertMany([
      { _id: 'int', v: new Int32(1) },
      { _id: 'long', v: Long.fromNumber(2) },
      { _id: 'double', v: new Double(1.5) },
      { _id: 'decimal', v: Decimal128.fromString('2.5') },
    ] as never[]);
  });

  it('sorts across types in the canonical order', async () => {
    const rows = await t.db.collection('mixed').find({}).sort({ v: 1, _id: 1 }).toArray();
    expect(rows.map((r) => r._id)).toEqual(['missing', 'null', 'num', 'str', 'obj', 'oid', 'bool', 'date']);
    const down = await t.db.collection('mixed').find({}).sort({ v: -1, _id: 1 }).limit(2).toArray();
    expect(down.map((r) => r._id)).toEqual(['date', 'bool']);
  });

  it('matches null against null and missing, and $exists tells them apart', async () => {
    const mixed = t.db.collection('mixed');
    expect((await mixed.find({ v: null }).toArray()).map((r) => r._id).sort()).toEqual(['missing', 'null']);
    expect(await mixed.countDocuments({ v: { $exists: false } })).toBe(1);
    expect(await mixed.countDocuments({ v: { $ne: null } })).toBe(6);
  });

  it('compares numbers of every BSON type by value, within their type bracket', async () => {
    const numbers = t.db.collection('numbers');
    expect(
      (
        await numbers
          .find({ v: { $gt: 1.2 } })
          .sort({ v: 1 })
          .toArray()
      ).map((r) => r._id),
    ).toEqual(['double', 'long', 'decimal']);
    expect(await numbers.countDocuments({ v: 2 })).toBe(1);
    expect(await numbers.countDocuments({ v: Long.fromNumber(1) })).toBe(1);
    expect(await numbers.countDocuments({ v: { $gt: 'a' } })).toBe(0);
    expect(await t.db.collection('mixed').countDocuments({ v: { $lt: new Date(1) } })).toBe(1);
  });

  it('matches ObjectId and Date by value', async () => {
    const mixed = t.db.collection('mixed');
    expect(await mixed.countDocuments({ v: new ObjectId('000000000000000000000001') })).toBe(1);
    expect(await mixed.countDocuments({ v: { $in: [new Date(0), 'text'] } })).toBe(2);
  });

  it('treats regexes with options, and BSONRegExp, as the server does', async () => {
    const c = t.db.collection('regex');
    await c.insertMany([{ s: 'Alpha\nbeta' }, { s: 'gamma' }]);
    expect(await c.countDocuments({ s: /^BETA/im })).toBe(1);
    expect(await c.countDocuments({ s: { $regex: 'alpha.beta', $options: 'is' } })).toBe(1);
    expect(await c.countDocuments({ s: new BSONRegExp('^G', 'i') })).toBe(1);
    expect(await c.countDocuments({ s: { $regex: new BSONRegExp('a m m a', 'x') } })).toBe(1);
  });

  it('keeps documents field-order sensitive for equality', async () => {
    const c = t.db.collection('orders');
    await c.insertOne({ d: { a: 1, b: 2 } });
    expect(await c.countDocuments({ d: { a: 1, b: 2 } })).toBe(1);
    expect(await c.countDocuments({ d: { b: 2, a: 1 } })).toBe(0);
  });

  it('round-trips dates, ObjectIds and nested arrays unchanged', async () => {
    const c = t.db.collection('roundtrip');
    const doc = {
      _id: new ObjectId(),
      at: new Date('2026-03-04T05:06:07.089Z'),
      nested: [[1, 'a'], { x: [true] }],
    };
    await c.insertOne(doc);
    expect(await c.findOne({ _id: doc._id })).toEqual(doc);
  });
});
