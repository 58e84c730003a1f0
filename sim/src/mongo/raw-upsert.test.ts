import { BSON, type Document } from 'bson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expireDocuments } from './ttl.js';
import { decodeDocument } from './wire.js';
import { inProcessServer, normalizeIds } from './compare-servers.test-helpers.js';
import type { InProcessServer } from './compare-servers.test-helpers.js';

/**
 * The raw upsert path runs for write statements that arrive as BSON (OP_MSG document sequences); the same
 * statements given as documents take the general path. Each test runs both and requires identical results:
 * replies, stored bytes (field order and types included) and errors.
 */
type Mode = 'raw' | 'general';

async function eventsServer(extraIndexes: Document[] = []) {
  const s = inProcessServer();
  const created = await s.run({
    createIndexes: 'events',
    indexes: [
      { key: { dedupe_key: 1 }, name: 'dedupe_key_1', unique: true },
      { key: { timestamp: -1, _id: -1 }, name: 'timestamp_-1__id_-1' },
      ...extraIndexes,
    ],
  });
  expect(created.ok).toBe(1);
  return s;
}

const encode = (statement: Document): Buffer => Buffer.from(BSON.serialize(statement));
const statementsFor = (mode: Mode, statements: Document[]): Array<Buffer | Document> =>
  statements.map((s) => (mode === 'raw' ? encode(s) : decodeDocument(encode(s))));

/** Stored documents as BSON bytes (order and types kept), generated ids replaced in first-seen order. */
async function storedBytes(s: InProcessServer): Promise<string[]> {
  const found = await s.run({ find: 'events', filter: {}, batchSize: 1000 });
  const docs = (found.cursor as { firstBatch: Document[] }).firstBatch;
  const ids = new Map<string, number>();
  return docs.map((doc) => {
    const { _id, ...rest } = doc;
    return Buffer.from(BSON.serialize({ _id: normalizeIds(_id, ids), ...rest })).toString('hex');
  });
}

async function update(s: InProcessServer, mode: Mode, statements: Document[], ordered = false) {
  const reply = await s.run({ update: 'events', updates: statementsFor(mode, statements), ordered });
  return normalizeIds(reply, new Map());
}

/** Runs the same steps on a fresh server per mode and expects the same replies and stored documents. */
async function expectSameOnBothPaths(
  steps: (s: InProcessServer, mode: Mode) => Promise<unknown[]>,
  extraIndexes: Document[] = [],
): Promise<{ replies: unknown[]; stored: string[] }> {
  const results: Array<{ replies: unknown[]; stored: string[] }> = [];
  for (const mode of ['raw', 'general'] as const) {
    const s = await eventsServer(extraIndexes);
    const replies = await steps(s, mode);
    results.push({ replies, stored: await storedBytes(s) });
  }
  expect(results[0]).toEqual(results[1]);
  return results[0] as { replies: unknown[]; stored: string[] };
}

const ingestedAt = new Date('2026-11-01T10:00:00Z');

/** The statement AOC's store sends for one normalized event (core/src/store/upsert-events.ts). */
function aocUpsert(event: Document): Document {
  const unset: Document = {};
  if (event.content_type === undefined) unset.content_type = '';
  if (event.unknown_shape === undefined) unset.unknown_shape = '';
  return {
    q: { dedupe_key: event.dedupe_key as string },
    u: {
      $set: event,
      $setOnInsert: { tags: [], comments: [], ingested_at: ingestedAt },
      ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
    },
    upsert: true,
  };
}

function event(n: number, overrides: Document = {}): Document {
  return {
    id: `id-${n}`,
    source: 'directory',
    timestamp: new Date(Date.UTC(2026, 10, 1, 0, n)),
    service: 'Core Directory',
    operation: 'Add user',
    result: 'success',
    actor_display: 'admin@contoso.com',
    target_displays: [`user${n}@contoso.com`],
    display_summary: `admin added user${n}`,
    dedupe_key: `directory:id-${n}`,
    actor: { user: { id: 'u1', userPrincipalName: 'admin@contoso.com', ipAddress: null } },
    targets: [{ id: `t${n}`, modifiedProperties: [{ displayName: 'x', oldValue: null, newValue: '"1"' }] }],
    raw: { id: `id-${n}`, nested: { deep: [1, 2.5, { k: 'v' }], when: new Date(0) }, count: 2 ** 40 },
    raw_text: '{"id":"…"}',
    search_terms: ['admin', 'user', `user${n}`],
    ...overrides,
  };
}

describe('raw upserts give exactly the general path’s results', () => {
  it('stores the upserted event with the same fields, order, types and reply', async () => {
    const { replies, stored } = await expectSameOnBothPaths(async (s, mode) => [
      await update(s, mode, [aocUpsert(event(1)), aocUpsert(event(2, { content_type: 'Audit.General' }))]),
    ]);
    expect(replies[0]).toEqual({
      n: 2,
      nModified: 0,
      upserted: [
        { index: 0, _id: 'oid#0' },
        { index: 1, _id: 'oid#1' },
      ],
      ok: 1,
    });
    const first = BSON.deserialize(Buffer.from(stored[0] as string, 'hex'));
    expect(Object.keys(first)).toEqual([
      '_id',
      'dedupe_key',
      ...Object.keys(event(1)).filter((k) => k !== 'dedupe_key'),
      'tags',
      'comments',
      'ingested_at',
    ]);
    expect(first.raw).toEqual(event(1).raw);
  });

  it('keeps analyst tags, comments and the first ingested_at when the event comes again', async () => {
    const { stored } = await expectSameOnBothPaths(async (s, mode) => [
      await update(s, mode, [aocUpsert(event(1))]),
      await update(s, mode, [
        {
          q: { dedupe_key: 'directory:id-1' },
          u: { $set: { tags: ['reviewed'] }, $push: { comments: { author: 'ana', text: 'ok' } } },
        },
      ]),
      await update(s, mode, [
        {
          ...aocUpsert(event(1, { display_summary: 'refreshed' })),
          u: {
            ...(aocUpsert(event(1, { display_summary: 'refreshed' })).u as Document),
            $setOnInsert: { tags: [], comments: [], ingested_at: new Date('2030-01-01T00:00:00Z') },
          },
        },
      ]),
    ]);
    const doc = BSON.deserialize(Buffer.from(stored[0] as string, 'hex'));
    expect(doc).toMatchObject({
      display_summary: 'refreshed',
      tags: ['reviewed'],
      comments: [{ author: 'ana', text: 'ok' }],
      ingested_at: ingestedAt,
    });
  });

  it('applies duplicates within one batch in order: the first inserts, the second updates it', async () => {
    const { replies, stored } = await expectSameOnBothPaths(async (s, mode) => [
      await update(s, mode, [aocUpsert(event(1)), aocUpsert(event(1, { result: 'failure' }))]),
    ]);
    expect(replies[0]).toEqual({ n: 2, nModified: 1, upserted: [{ index: 0, _id: 'oid#0' }], ok: 1 });
    expect(stored).toHaveLength(1);
    expect(BSON.deserialize(Buffer.from(stored[0] as string, 'hex')).result).toBe('failure');
  });

  it('refuses an upsert that collides on another unique index with the same write error', async () => {
    const { replies, stored } = await expectSameOnBothPaths(
      async (s, mode) => [
        await update(s, mode, [
          aocUpsert(event(1)),
          aocUpsert(event(2, { id: 'id-1' })),
          aocUpsert(event(3)),
        ]),
      ],
      [{ key: { id: 1 }, name: 'id_1', unique: true }],
    );
    expect(replies[0]).toMatchObject({
      n: 2,
      writeErrors: [{ index: 1, code: 11000, keyValue: { id: 'id-1' } }],
    });
    expect(stored).toHaveLength(2);
  });

  it('refuses a plain insert of a key a raw upsert stored, then serves the stored event to queries', async () => {
    const s = await eventsServer();
    await update(s, 'raw', [aocUpsert(event(1)), aocUpsert(event(2))]);
    const inserted = await s.run({
      insert: 'events',
      documents: [encode({ dedupe_key: 'directory:id-2', id: 'other' })],
    });
    expect(inserted).toMatchObject({
      n: 0,
      writeErrors: [{ index: 0, code: 11000, keyValue: { dedupe_key: 'directory:id-2' } }],
    });
    const found = await s.run({
      find: 'events',
      filter: { 'raw.nested.deep.k': 'v' },
      sort: { timestamp: -1 },
    });
    const docs = (found.cursor as { firstBatch: Document[] }).firstBatch;
    expect(docs.map((d): unknown => d.id)).toEqual(['id-2', 'id-1']);
    const removed = await s.run({
      delete: 'events',
      deletes: [{ q: { dedupe_key: 'directory:id-2' }, limit: 1 }],
    });
    expect(removed).toMatchObject({ n: 1 });
    const again = await s.run({ insert: 'events', documents: [{ dedupe_key: 'directory:id-2' }] });
    expect(again).toMatchObject({ n: 1, ok: 1 });
  });

  it('leaves other statement shapes to the general path with the same outcome', async () => {
    await expectSameOnBothPaths(async (s, mode) => [
      // Integer-like names are listed first by JS objects: copying bytes in order would differ.
      await update(s, mode, [{ q: { dedupe_key: 'a' }, u: { $set: { z: 1, '5': 2 } }, upsert: true }]),
      await update(s, mode, [{ q: { dedupe_key: { $eq: 'b' } }, u: { $set: { v: 1 } }, upsert: true }]),
      await update(s, mode, [{ q: { dedupe_key: 'c' }, u: { $inc: { v: 1 } }, upsert: true }]),
      await update(s, mode, [{ q: { dedupe_key: 'd' }, u: { $set: { 'a.b': 1 } }, upsert: true }]),
      await update(s, mode, [{ q: { dedupe_key: 'e' }, u: { v: 1 }, upsert: true }]),
      await update(s, mode, [{ q: { dedupe_key: 'f' }, u: { $set: { v: 1 } } }]),
      await update(s, mode, [{ q: { dedupe_key: 7 }, u: { $set: { v: 1 } }, upsert: true }]),
      await update(s, mode, [{ q: { other: 'g' }, u: { $set: { v: 1 } }, upsert: true }]),
      await update(s, mode, [
        { q: { dedupe_key: 'h' }, u: { $set: { v: 1 }, $unset: { v: '' } }, upsert: true },
      ]),
    ]);
  });

  it('matches the general path for any mix of $set, $unset and $setOnInsert', async () => {
    const field = fc.constantFrom('dedupe_key', 'a', 'b', 'c', 'tags', '_id', '7', 'x.y');
    const value = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
      fc.dictionary(fc.constantFrom('p', 'q'), fc.integer(), { maxKeys: 2 }),
    );
    const operator = fc.dictionary(field, value, { maxKeys: 3 });
    const updateDocument = fc
      .uniqueArray(fc.constantFrom('$set', '$unset', '$setOnInsert'), { minLength: 1, maxLength: 3 })
      .chain((ops) => fc.tuple(...ops.map((op) => operator.map((fields) => [op, fields] as const))))
      .map((entries) => Object.fromEntries(entries));
    const batch = fc.array(
      fc.record({ key: fc.constantFrom('k1', 'k2', 'k3'), u: updateDocument }).map(({ key, u }) => ({
        q: { dedupe_key: key },
        u,
        upsert: true,
      })),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(batch, fc.boolean(), async (statements, ordered) => {
        await expectSameOnBothPaths(async (s, mode) => [
          normalizeIds(
            await s.run({ update: 'events', updates: statementsFor(mode, statements), ordered }),
            new Map(),
          ),
        ]);
      }),
      { numRuns: 150 },
    );
  });

  it('lets the TTL monitor expire raw-stored events by their date alone', async () => {
    const s = await eventsServer([{ key: { timestamp: 1 }, name: 'timestamp_1', expireAfterSeconds: 3600 }]);
    await update(s, 'raw', [
      aocUpsert(event(1, { timestamp: new Date('2026-11-01T00:00:00Z') })),
      aocUpsert(event(2, { timestamp: new Date('2026-11-01T05:00:00Z') })),
      aocUpsert(event(3, { timestamp: 'not a date' })),
    ]);
    expect(expireDocuments(s.catalog, new Date('2026-11-01T04:00:00Z'))).toBe(1);
    const found = await s.run({ find: 'events', filter: {}, projection: { id: 1, _id: 0 } });
    expect((found.cursor as { firstBatch: Document[] }).firstBatch).toEqual([{ id: 'id-2' }, { id: 'id-3' }]);
    const again = await update(s, 'raw', [aocUpsert(event(1))]);
    expect(again).toMatchObject({ n: 1, upserted: [{ index: 0 }] });
  });
});
