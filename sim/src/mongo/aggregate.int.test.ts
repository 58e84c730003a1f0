import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing.js';

const t = useTestDatabase('conf_agg');

describe('aggregate', () => {
  beforeAll(async () => {
    await t.db.collection('ev').insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        i,
        op: ['Add', 'Remove', 'Set', 'Add'][i % 4],
        at: new Date(Date.UTC(2026, 0, 1 + (i % 5), i)),
        tags: i % 2 ? ['a', 'b'] : ['a'],
      })),
    );
  });

  it('groups, sorts and limits', async () => {
    const rows = await t.db
      .collection('ev')
      .aggregate([
        { $match: { i: { $gte: 0 } } },
        { $group: { _id: '$op', n: { $sum: 1 }, last: { $max: '$i' } } },
        { $sort: { n: -1, _id: 1 } },
        { $limit: 2 },
      ])
      .toArray();
    expect(rows).toEqual([
      { _id: 'Add', n: 10, last: 19 },
      { _id: 'Remove', n: 5, last: 17 },
    ]);
  });

  it('runs $facet with $count, $bucket and $sortByCount', async () => {
    const [result] = await t.db
      .collection('ev')
      .aggregate([
        {
          $facet: {
            total: [{ $count: 'n' }],
            buckets: [
              {
                $bucket: {
                  groupBy: '$i',
                  boundaries: [0, 10, 20],
                  default: 'other',
                  output: { n: { $sum: 1 } },
                },
              },
            ],
            ops: [{ $sortByCount: '$op' }],
          },
        },
      ])
      .toArray();
    expect(result?.total).toEqual([{ n: 20 }]);
    expect(result?.buckets).toEqual([
      { _id: 0, n: 10 },
      { _id: 10, n: 10 },
    ]);
    expect(result?.ops[0]).toEqual({ _id: 'Add', count: 10 });
  });

  it('unwinds arrays, projects and adds fields', async () => {
    const rows = await t.db
      .collection('ev')
      .aggregate([
        { $match: { i: { $lt: 2 } } },
        { $unwind: '$tags' },
        { $addFields: { twice: { $multiply: ['$i', 2] } } },
        { $project: { _id: 0, i: 1, tags: 1, twice: 1 } },
        { $sort: { i: 1, tags: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { i: 0, tags: 'a', twice: 0 },
      { i: 1, tags: 'a', twice: 2 },
      { i: 1, tags: 'b', twice: 2 },
    ]);
  });

  it('truncates dates with $dateTrunc', async () => {
    const rows = await t.db
      .collection('ev')
      .aggregate([
        { $match: { i: 7 } },
        { $project: { _id: 0, day: { $dateTrunc: { date: '$at', unit: 'day' } } } },
      ])
      .toArray();
    expect(rows).toEqual([{ day: new Date(Date.UTC(2026, 0, 3)) }]);
  });

  it('leaves stored documents untouched by $addFields and $set', async () => {
    await t.db
      .collection('ev')
      .aggregate([{ $set: { op: 'changed' } }])
      .toArray();
    expect(await t.db.collection('ev').countDocuments({ op: 'changed' })).toBe(0);
  });

  it('counts with countDocuments over a filter', async () => {
    expect(await t.db.collection('ev').countDocuments({ tags: 'b' })).toBe(10);
  });

  it('joins another collection with $lookup', async () => {
    await t.db.collection('ops').insertMany([
      { _id: 'Add', label: 'added' },
      { _id: 'Set', label: 'set' },
    ] as never[]);
    const rows = await t.db
      .collection('ev')
      .aggregate([
        { $match: { i: { $in: [0, 2] } } },
        { $lookup: { from: 'ops', localField: 'op', foreignField: '_id', as: 'meta' } },
        { $project: { _id: 0, i: 1, label: { $first: '$meta.label' } } },
        { $sort: { i: 1 } },
      ])
      .toArray();
    expect(rows).toEqual([
      { i: 0, label: 'added' },
      { i: 2, label: 'set' },
    ]);
  });

  it('rejects an unknown stage, naming it', async () => {
    await expect(
      t.db
        .collection('ev')
        .aggregate([{ $nonsense: {} }])
        .toArray(),
    ).rejects.toMatchObject({
      code: 40324,
      message: expect.stringContaining('$nonsense') as string,
    });
  });

  it('streams large results in batches', async () => {
    const docs = await t.db
      .collection('ev')
      .aggregate([{ $sort: { i: 1 } }], { batchSize: 3 })
      .toArray();
    expect(docs.map((d) => d.i as number)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
