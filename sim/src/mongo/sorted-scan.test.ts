import type { Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { compileFilter } from './matcher.js';
import { sortDocuments } from './sort.js';
import { sortedScan } from './sorted-scan.js';

const SORT = { ts: -1 };

function collectionOf(count: number) {
  const coll = new Catalog().ensure('db', 'events');
  // Fifty distinct times for thousands of documents: most sort keys tie, so tie order is put to the test.
  for (let n = 0; n < count; n++) coll.insert({ _id: `e${n}`, service: 'ABC'[n % 3], ts: n % 50, n });
  return coll;
}

/** What the usual path gives: every match, sorted stably, cut to the page. */
function usual(coll: ReturnType<typeof collectionOf>, filter: Document, wanted: number) {
  const predicate = compileFilter(filter);
  const matches = coll.snapshot().filter(([, doc]) => predicate(doc));
  return sortDocuments(matches, SORT, ([, doc]) => doc).slice(0, wanted);
}

const scan = (coll: ReturnType<typeof collectionOf>, filter: Document, wanted: number) =>
  sortedScan(coll, filter, compileFilter(filter), SORT, wanted);

describe('sortedScan', () => {
  it('keeps an order from the second read at one version, and gives the usual page, ties included', async () => {
    const coll = collectionOf(6_000);
    const filter = { service: 'A' };
    expect(await scan(coll, filter, 25)).toBeUndefined();
    const second = await scan(coll, filter, 25);
    expect(second).toBeDefined();
    expect(second).toEqual(usual(coll, filter, 25));
    // The order serves other filters with the same sort too.
    expect(await scan(coll, { n: { $gte: 5_990 } }, 5)).toEqual(usual(coll, { n: { $gte: 5_990 } }, 5));
    expect(await scan(coll, { service: 'nope' }, 5)).toEqual([]);
  });

  it('drops the order at the next write, so a read never misses an insert, an update or a removal', async () => {
    const coll = collectionOf(6_000);
    const filter = { service: 'B' };
    await scan(coll, filter, 10);
    await scan(coll, filter, 10);
    coll.insert({ _id: 'newest', service: 'B', ts: 99, n: -1 });
    expect(await scan(coll, filter, 10)).toBeUndefined();
    expect((await scan(coll, filter, 10))?.[0]?.[1]._id).toBe('newest');

    const [id, doc] = coll.snapshot().find(([, d]) => d._id === 'e1')!;
    coll.replace(id, { ...doc, ts: 100 });
    await scan(coll, filter, 10);
    expect((await scan(coll, filter, 10))?.map(([, d]) => d._id as string).slice(0, 2)).toEqual([
      'e1',
      'newest',
    ]);

    coll.remove(id);
    await scan(coll, filter, 10);
    const after = await scan(coll, filter, 10);
    expect(after?.[0]?.[1]._id).toBe('newest');
    expect(after).toEqual(usual(coll, filter, 10));
  });

  it('leaves small collections and index-narrowed reads to the usual match and sort', async () => {
    const small = collectionOf(1_000);
    for (let i = 0; i < 3; i++) expect(await scan(small, {}, 10)).toBeUndefined();
    const large = collectionOf(6_000);
    large.addIndex({ v: 2, key: { service: 1, ts: -1 }, name: 'service_ts' });
    for (let i = 0; i < 3; i++) expect(await scan(large, { service: 'C' }, 10)).toBeUndefined();
    expect(large.sortOrders.size).toBe(0);
  });
});
