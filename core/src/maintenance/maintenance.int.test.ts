import { useTestDatabase } from '@aoc/sim/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../create-core.js';
import { createMappingsProvider } from '../mappings/mappings-provider.js';
import { normalizeEvent } from '../normalize/normalize-event.js';
import { eventsCollection } from '../store/collections.js';
import { ensureEventIndexes } from '../store/indexes.js';
import { createTestCore } from '../test-support/test-core.js';

const database = useTestDatabase('aoc_maintenance');
let core: Core;
const mappings = createMappingsProvider(undefined).get();
const DEVICE = '11111111-2222-3333-4444-555555555555';

function directoryAudit(n: number): Record<string, unknown> {
  return {
    id: `dir-${n}`,
    category: 'UserManagement',
    activityDisplayName: 'Update user',
    activityDateTime: `2024-05-01T10:00:0${n}Z`,
    result: 'success',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    initiatedBy: { user: { userPrincipalName: 'alice@contoso.com', id: 'u1' } },
    targetResources: [{ id: DEVICE, type: 'Device' }],
  };
}

const events = () => eventsCollection(core.db);
// Untyped, for writing documents in shapes AOC itself never writes (legacy and duplicated data).
const rawEvents = () => core.db.collection('events');

beforeAll(async () => {
  core = await createTestCore(database);
});

beforeEach(async () => {
  await events().deleteMany({});
  await ensureEventIndexes(core.db, { retentionDays: undefined });
});

afterAll(async () => {
  await core.close();
});

describe('renormalize', () => {
  it('rebuilds normalized fields from raw records, keeping tags, comments and ingested_at', async () => {
    const fresh = [1, 2, 3].map((n) => normalizeEvent(directoryAudit(n), 'directory', { mappings }));
    await core.events.upsert(fresh);
    const ingested = new Date('2020-01-01T00:00:00Z');
    const comment = { author: 'ann', text: 'seen', at: ingested };
    await events().updateMany(
      {},
      {
        $set: {
          display_summary: 'stale',
          service: 'Old label',
          tags: ['keep'],
          comments: [comment],
          ingested_at: ingested,
        },
      },
    );
    const progress: number[] = [];

    const result = await core.maintenance.renormalize({
      batchSize: 2,
      onProgress: (p) => progress.push(p.scanned),
      resolveNames: () => Promise.resolve(new Map([[DEVICE, 'LAPTOP-7']])),
    });

    expect(result).toEqual({ scanned: 3, updated: 3, merged: 0, skipped: 0 });
    expect(progress).toEqual([2, 3]);
    const stored = await events().find().toArray();
    for (const doc of stored) {
      const expected = normalizeEvent(doc.raw, 'directory', {
        mappings,
        names: new Map([[DEVICE, 'LAPTOP-7']]),
      });
      expect(doc.display_summary).toBe(expected.display_summary);
      expect(doc.service).toBe(expected.service);
      expect(doc.target_displays).toEqual(['LAPTOP-7']);
      expect(doc.tags).toEqual(['keep']);
      expect(doc.comments).toEqual([comment]);
      expect(doc.ingested_at).toEqual(ingested);
    }
  });

  it('stops after --limit events and skips documents without a raw record', async () => {
    await core.events.upsert(
      [1, 2, 3, 4].map((n) => normalizeEvent(directoryAudit(n), 'directory', { mappings })),
    );
    await events().updateOne({ id: 'dir-4' }, { $unset: { raw: '' } });
    expect(await core.maintenance.renormalize({ limit: 2 })).toMatchObject({ scanned: 2, skipped: 1 });
    expect((await core.maintenance.renormalize()).scanned).toBe(4);
  });

  it('merges a legacy document whose new key belongs to another event, keeping the legacy analyst data', async () => {
    const current = normalizeEvent(directoryAudit(5), 'directory', { mappings });
    await core.events.upsert([current]);
    await rawEvents().insertOne({
      ...current,
      source: null,
      dedupe_key: 'original-service-key',
      tags: ['false_positive'],
      comments: [{ author: 'old', text: 'from v1', at: new Date('2023-01-01T00:00:00Z') }],
      ingested_at: new Date('2023-01-01T00:00:00Z'),
    });

    const result = await core.maintenance.renormalize();

    expect(result.merged).toBe(1);
    const left = await events().find({ id: 'dir-5' }).toArray();
    expect(left).toHaveLength(1);
    expect(left[0]!.dedupe_key).toBe(current.dedupe_key);
    expect(left[0]!.tags).toEqual(['false_positive']);
    expect(left[0]!.comments.map((c) => c.text)).toEqual(['from v1']);
  });
});

describe('dedupe', () => {
  it('keeps the richest copy per dedupe_key, merging analyst data, and restores the unique index', async () => {
    await events().dropIndex('dedupe_key_unique');
    const base = normalizeEvent(directoryAudit(6), 'directory', { mappings });
    const other = normalizeEvent(directoryAudit(7), 'directory', { mappings });
    const at = (day: number) => new Date(Date.UTC(2024, 0, day));
    await rawEvents().insertMany([
      { ...base, tags: [], comments: [], ingested_at: at(1) },
      { ...base, tags: ['a', 'b'], comments: [{ author: 'x', text: 'one', at: at(2) }], ingested_at: at(3) },
      { ...base, tags: ['b', 'c'], comments: [{ author: 'y', text: 'two', at: at(4) }], ingested_at: at(2) },
      { ...other, tags: [], comments: [], ingested_at: at(5) },
      { ...other, tags: [], comments: [], ingested_at: at(6) },
      normalizeEvent(directoryAudit(8), 'directory', { mappings }),
    ]);
    expect((await ensureEventIndexes(core.db, { retentionDays: undefined })).degraded).toEqual([
      'dedupe_key_unique',
    ]);

    const result = await core.maintenance.dedupe();

    expect(result).toEqual({ groups: 2, removed: 3, uniqueIndex: true });
    expect(await events().countDocuments()).toBe(3);
    const kept = await events().findOne({ dedupe_key: base.dedupe_key });
    expect(kept?.tags.sort()).toEqual(['a', 'b', 'c']);
    expect(kept?.comments.map((c) => c.text)).toEqual(['one', 'two']);
    expect(kept?.ingested_at).toEqual(at(1));
    const unique = (await events().indexes()).find((index) => index.key.dedupe_key === 1);
    expect(unique?.unique).toBe(true);
    await expect(
      rawEvents().insertOne({ ...base, tags: [], comments: [], ingested_at: at(9) }),
    ).rejects.toMatchObject({
      code: 11000,
    });
  });

  it('changes nothing on clean data', async () => {
    await core.events.upsert([9].map((n) => normalizeEvent(directoryAudit(n), 'directory', { mappings })));
    expect(await core.maintenance.dedupe()).toEqual({ groups: 0, removed: 0, uniqueIndex: true });
    expect(await events().countDocuments()).toBe(1);
  });
});
