import { describe, expect, it } from 'vitest';
import { compileFieldUpdate } from './field-update.js';
import { compileUpdate } from './update.js';

describe('compileFieldUpdate', () => {
  it('sets fields in place, appends new ones, unsets, and leaves the stored document untouched', () => {
    const stored = { _id: 1, a: 1, b: 'x', c: [1, 2] };
    const next = compileFieldUpdate({ $set: { b: 'y', d: true }, $unset: { c: '' } })?.apply(stored);
    expect(next).toEqual({ _id: 1, a: 1, b: 'y', d: true });
    expect(Object.keys(next ?? {})).toEqual(['_id', 'a', 'b', 'd']);
    expect(stored).toEqual({ _id: 1, a: 1, b: 'x', c: [1, 2] });
  });

  it('returns the stored document itself when every value is already there', () => {
    const stored = { _id: 1, terms: ['a', 'b'], at: new Date(5), sub: { k: 1 } };
    const update = compileFieldUpdate({
      $set: { terms: ['a', 'b'], at: new Date(5), sub: { k: 1 } },
      $unset: { gone: '' },
      $setOnInsert: { tags: [] },
    });
    expect(update?.apply(stored)).toBe(stored);
    expect(update?.apply({ ...stored, sub: { k: 2 } })).toEqual(stored);
  });

  it('builds the upsert document with $setOnInsert merged into $set, in operator order', () => {
    const update = compileFieldUpdate({ $unset: { k: '' }, $set: { v: 1 }, $setOnInsert: { tags: [] } });
    expect(update?.applyToSeed({ _id: 'x', k: 'from filter' })).toEqual({ _id: 'x', v: 1, tags: [] });
    expect(compileFieldUpdate({ $setOnInsert: { n: 0 } })?.applyToSeed({ _id: 1 })).toEqual({ _id: 1, n: 0 });
  });

  it('leaves dotted, positional and _id paths and other operators to mingo', () => {
    expect(compileFieldUpdate({ $set: { 'a.b': 1 } })).toBeUndefined();
    expect(compileFieldUpdate({ $set: { 'a.$': 1 } })).toBeUndefined();
    expect(compileFieldUpdate({ $set: { _id: 1 } })).toBeUndefined();
    expect(compileFieldUpdate({ $set: { a: 1 }, $inc: { n: 1 } })).toBeUndefined();
  });

  it('gives compileUpdate the same results mingo gives', () => {
    const stored = [{ _id: 1, a: 1, b: { c: 2 } }];
    const u = { $set: { a: 2, z: [1] }, $unset: { b: '' }, $setOnInsert: { s: 1 } };
    const viaMingo = compileUpdate({ ...u, $inc: { n: 0 } }, { k: 3 });
    const direct = compileUpdate(u, { k: 3 });
    expect(direct.apply(stored)).toEqual(viaMingo.apply(stored).map(({ n: _n, ...rest }) => rest));
    const { n: _n, ...upserted } = viaMingo.upsertDocument();
    expect(direct.upsertDocument()).toEqual({ ...upserted, _id: expect.anything() });
    expect(Object.keys(direct.upsertDocument())).toEqual(Object.keys(upserted));
  });
});
