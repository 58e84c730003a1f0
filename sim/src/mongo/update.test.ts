import { describe, expect, it } from 'vitest';
import { compileUpdate, seedFromFilter } from './update.js';

describe('seedFromFilter', () => {
  it('takes equality predicates, dotted paths, $eq, one-element $in and $and branches', () => {
    const seed = seedFromFilter({
      a: 1,
      'b.c': 'x',
      d: { $eq: 2 },
      e: { $in: [3] },
      f: { $gt: 1 },
      $and: [{ g: true }],
      h: /re/,
    });
    expect(seed).toEqual({ a: 1, b: { c: 'x' }, d: 2, e: 3, g: true });
  });
});

describe('compileUpdate', () => {
  it('applies operators to copies, leaving the stored documents untouched', () => {
    const stored = [{ _id: 1, n: 1, tags: ['a'] }];
    const [next] = compileUpdate({ $inc: { n: 1 }, $addToSet: { tags: 'b' } }, {}).apply(stored);
    expect(next).toEqual({ _id: 1, n: 2, tags: ['a', 'b'] });
    expect(stored[0]).toEqual({ _id: 1, n: 1, tags: ['a'] });
  });

  it('builds the upsert document from the filter, $setOnInsert and the operators, _id first', () => {
    const doc = compileUpdate(
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { _id: 'k', 'm.x': 2 },
    ).upsertDocument();
    expect(doc).toEqual({ _id: 'k', m: { x: 2 }, v: 1, created: true });
    expect(Object.keys(doc)[0]).toBe('_id');
  });

  it('keeps _id on replacement and refuses to change it', () => {
    const update = compileUpdate({ x: 1 }, {});
    expect(update.apply([{ _id: 9, y: 2 }])).toEqual([{ _id: 9, x: 1 }]);
    expect(() => compileUpdate({ _id: 10, x: 1 }, {}).apply([{ _id: 9 }])).toThrow(
      expect.objectContaining({ code: 66 }),
    );
  });

  it('refuses conflicting paths and unknown modifiers before touching anything', () => {
    expect(() => compileUpdate({ $set: { 'a.b': 1 }, $unset: { a: '' } }, {})).toThrow(
      expect.objectContaining({ code: 40 }),
    );
    expect(() => compileUpdate({ $set: { a: 1 }, $setOnInsert: { a: 2 } }, {})).toThrow(
      expect.objectContaining({ code: 40 }),
    );
    expect(() => compileUpdate({ $nope: { a: 1 } }, {})).toThrow(expect.objectContaining({ code: 9 }));
  });
});
