import { BSON, Decimal128, Double, Int32, Long, type Document } from 'bson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupKey } from './indexes.js';
import { inProcessServer, normalizeIds } from './compare-servers.test-helpers.js';

/*
 * Equality filters on the first field of a non-unique index are served from the collection's key → record ids
 * map (planner.ts `keyedCandidates`). The same commands run on a server with those indexes and on one without
 * (where every query scans) must give the same documents in the same order, through every kind of write.
 */

const UNIQUE = { key: { k: 1 }, name: 'k_unique', unique: true };
const SECONDARY = [
  { key: { a: 1, _id: -1 }, name: 'a_id' },
  { key: { b: -1 }, name: 'b' },
  { key: { c: 1, a: 1 }, name: 'c_a' },
  // Not usable for lookups: the planner must ignore them and still scan correctly.
  { key: { d: 1 }, name: 'd_sparse', sparse: true },
  { key: { 'e.p': 1 }, name: 'e_p' },
];

async function pair() {
  const indexed = inProcessServer();
  const scanned = inProcessServer();
  await indexed.run({ createIndexes: 'c', indexes: [UNIQUE, ...SECONDARY] });
  await scanned.run({ createIndexes: 'c', indexes: [UNIQUE] });
  return [indexed, scanned] as const;
}

// Few distinct values, so filters often match: 1 in five numeric types, plus look-alikes that must not match it.
const scalar = fc.oneof(
  fc.constantFrom<unknown>(0, 1, -0, 1.5, 'x', '1', true, null, new Date(0), NaN),
  fc.constantFrom<unknown>(new Int32(1), Long.fromNumber(1), new Double(1), Decimal128.fromString('1.0')),
);
const nested = fc.oneof(
  fc.constant<unknown>({ p: 1 }),
  fc.constant<unknown>({ p: 1, q: 2 }),
  fc.constant<unknown>({ q: 2, p: 1 }),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: nested },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(scalar, nested, fc.array(scalar, { maxLength: 2 })), { maxLength: 3 }),
  },
);
const FIELDS = ['a', 'b', 'c', 'd', 'e'] as const;
const body = fc.record(
  { a: value, b: value, c: value, d: value, e: fc.oneof(value, fc.record({ p: value })) },
  { requiredKeys: [] },
);
const key = fc.integer({ min: 0, max: 30 }).map((n) => `k${n}`);
/** Keys upserts use: few, so most upserts update a document they inserted before. */
const upsertKey = fc.integer({ min: 0, max: 4 }).map((n) => `k${n}`);
const field = fc.constantFrom(...FIELDS);
/** Values a query may pin: what equalities() accepts plus what it must refuse (null, arrays, regexes). */
const pinned = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: nested },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>([1], /x/, { $exists: true }),
  },
);
const filter: fc.Arbitrary<Document> = fc.oneof(
  fc.tuple(field, pinned).map(([f, v]) => ({ [f]: v })),
  fc.tuple(field, pinned).map(([f, v]) => ({ [f]: { $eq: v } })),
  fc.tuple(field, fc.array(pinned, { maxLength: 3 })).map(([f, vs]) => ({ [f]: { $in: vs } })),
  fc.tuple(pinned, pinned).map(([v, w]) => ({ a: v, b: w })),
  fc.tuple(pinned, pinned).map(([v, w]) => ({ $and: [{ c: v }, { a: { $in: [w, 2] } }] })),
  fc.tuple(pinned).map(([v]) => ({ b: v, d: { $exists: false } })),
  fc.tuple(pinned).map(([v]) => ({ 'e.p': v, a: { $ne: null } })),
);

type Step =
  | { kind: 'insert'; docs: Document[] }
  | { kind: 'upsert'; raw: boolean; key: string; set: Document }
  | { kind: 'update'; filter: Document; set: Document; multi: boolean }
  | { kind: 'replace'; filter: Document; doc: Document }
  | { kind: 'delete'; filter: Document; limit: 0 | 1 }
  | { kind: 'find'; filter: Document; limit: number }
  | { kind: 'createIndex'; field: 'b' | 'c' }
  | { kind: 'dropIndex'; name: 'b' | 'c_a' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(fc.tuple(key, body), { minLength: 1, maxLength: 4 }).map((docs) => ({
      kind: 'insert' as const,
      docs: docs.map(([k, d], i) => ({ ...d, k: `${k}-${i}` })),
    })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ raw: fc.boolean(), key: upsertKey, set: body })
      .map((s) => ({ kind: 'upsert' as const, ...s })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        filter: fc.oneof(
          filter,
          upsertKey.map((k) => ({ k })),
        ),
        set: body,
        multi: fc.boolean(),
      })
      .map((s) => ({ kind: 'update' as const, ...s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        filter: fc.oneof(
          filter,
          upsertKey.map((k) => ({ k })),
        ),
        doc: body,
      })
      .map((s) => ({ kind: 'replace' as const, ...s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ filter, limit: fc.constantFrom<0 | 1>(0, 1) })
      .map((s) => ({ kind: 'delete' as const, ...s })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ filter, limit: fc.constantFrom(0, 1, 2) })
      .map((s) => ({ kind: 'find' as const, ...s })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Step>(
      { kind: 'createIndex', field: 'b' },
      { kind: 'createIndex', field: 'c' },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Step>({ kind: 'dropIndex', name: 'b' }, { kind: 'dropIndex', name: 'c_a' }),
  },
);

function command(s: Step): Document {
  switch (s.kind) {
    case 'insert':
      return { insert: 'c', documents: s.docs, ordered: false };
    case 'upsert': {
      // As bytes, the statement takes the raw upsert path (stored as BSON, indexed from decoded key fields).
      const statement = { q: { k: s.key }, u: { $set: s.set, $setOnInsert: { n: 1 } }, upsert: true };
      return { update: 'c', updates: [s.raw ? Buffer.from(BSON.serialize(statement)) : statement] };
    }
    case 'update':
      return { update: 'c', updates: [{ q: s.filter, u: { $set: s.set }, multi: s.multi }] };
    case 'replace':
      return { update: 'c', updates: [{ q: s.filter, u: s.doc }] };
    case 'delete':
      return { delete: 'c', deletes: [{ q: s.filter, limit: s.limit }] };
    case 'find':
      return { find: 'c', filter: s.filter, limit: s.limit, batchSize: 10_000 };
    case 'createIndex':
      return { createIndexes: 'c', indexes: [{ key: { [s.field]: 1 }, name: `${s.field}_later` }] };
    case 'dropIndex':
      return { dropIndexes: 'c', index: s.name };
  }
}

/** A reply's documents (or write result), serialized so types (Int32, Long, Double) and field order count. */
function comparable(reply: Document, ids: Map<string, number>): string {
  const { cursor, ...rest } = reply as { cursor?: { firstBatch: Document[] } };
  const body = normalizeIds(cursor ? cursor.firstBatch : rest, ids);
  return Buffer.from(BSON.serialize({ body })).toString('hex');
}

describe('equality lookups served by non-unique indexes', () => {
  it('return exactly what a scan returns, in the same order, through every kind of write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }), async (steps) => {
        const [indexed, scanned] = await pair();
        const [indexedIds, scannedIds] = [new Map<string, number>(), new Map<string, number>()];
        for (const s of steps) {
          const cmd = command(s);
          // Index changes go to the indexed server only: the other must keep scanning.
          if (s.kind === 'createIndex' || s.kind === 'dropIndex') {
            await indexed.run(cmd);
            continue;
          }
          const [a, b] = [await indexed.run(cmd), await scanned.run(cmd)];
          expect(comparable(a, indexedIds)).toEqual(comparable(b, scannedIds));
        }
        const all = { find: 'c', filter: {}, batchSize: 10_000 };
        expect(comparable(await indexed.run(all), indexedIds)).toEqual(
          comparable(await scanned.run(all), scannedIds),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the documents holding the value, counting 1, 1.0 and Long(1) as one key', async () => {
    const [indexed] = await pair();
    await indexed.run({
      insert: 'c',
      documents: [
        { k: 'a', a: 1 },
        { k: 'b', a: new Double(1) },
        { k: 'c', a: Long.fromNumber(1) },
        { k: 'd', a: [3, 1] },
        { k: 'e', a: 2 },
        { k: 'f' },
      ],
    });
    const found = await indexed.run({ find: 'c', filter: { a: 1 }, projection: { _id: 0, k: 1 } });
    expect((found.cursor as { firstBatch: Document[] }).firstBatch).toEqual([
      { k: 'a' },
      { k: 'b' },
      { k: 'c' },
      { k: 'd' },
    ]);
    const coll = indexed.catalog.get('test', 'c');
    expect(coll?.keyedCount('a', [lookupKey([1])])).toBe(4);
    expect(coll?.keyedCount('a', [lookupKey([2])])).toBe(1);
    // Not the first field of a usable index: no lookup map at all.
    expect(coll?.keyedCount('d', [lookupKey([1])])).toBeUndefined();
    await indexed.run({ dropIndexes: 'c', index: 'a_id' });
    expect(coll?.keyedCount('a', [lookupKey([1])])).toBeUndefined();
  });
});
