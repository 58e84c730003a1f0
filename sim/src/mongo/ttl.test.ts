import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { expireDocuments } from './ttl.js';

describe('expireDocuments', () => {
  it('removes documents whose indexed date is older than expireAfterSeconds, and only those', () => {
    const catalog = new Catalog();
    const coll = catalog.ensure('db', 'c');
    coll.addIndex({ v: 2, key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60 });
    const now = new Date('2026-01-01T00:10:00Z');
    coll.insert({ _id: 'old', at: new Date('2026-01-01T00:08:00Z') });
    coll.insert({ _id: 'fresh', at: new Date('2026-01-01T00:09:30Z') });
    coll.insert({ _id: 'array', at: [new Date('2026-01-01T00:09:59Z'), new Date('2026-01-01T00:00:00Z')] });
    coll.insert({ _id: 'not-a-date', at: 'yesterday' });
    coll.insert({ _id: 'missing' });
    expect(expireDocuments(catalog, now)).toBe(2);
    expect(coll.snapshot().map(([, d]) => d._id as unknown)).toEqual(['fresh', 'not-a-date', 'missing']);
  });

  it('respects a partial filter', () => {
    const catalog = new Catalog();
    const coll = catalog.ensure('db', 'c');
    coll.addIndex({
      v: 2,
      key: { at: 1 },
      name: 'at_1',
      expireAfterSeconds: 0,
      partialFilterExpression: { temp: true },
    });
    coll.insert({ _id: 1, at: new Date(0), temp: true });
    coll.insert({ _id: 2, at: new Date(0), temp: false });
    expireDocuments(catalog, new Date());
    expect(coll.snapshot().map(([, d]) => d._id as unknown)).toEqual([2]);
  });
});
