import { BSONRegExp, Decimal128, Long, MaxKey, MinKey, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  compareValues,
  normalizeFilter,
  sameValue,
  toJsRegExp,
  valueKey,
  valuesAtPath,
} from './bson-values.js';

describe('compareValues', () => {
  it('orders types canonically: MinKey, null, numbers, strings, objects, arrays, ObjectId, booleans, dates, MaxKey', () => {
    const values = [
      new MaxKey(),
      new Date(0),
      true,
      new ObjectId(),
      [1],
      { a: 1 },
      'a',
      5,
      null,
      new MinKey(),
    ];
    const sorted = [...values].sort(compareValues);
    expect(sorted).toEqual([...values].reverse());
  });

  it('compares numbers of all BSON types by value', () => {
    expect(compareValues(Long.fromNumber(3), 2.5)).toBeGreaterThan(0);
    expect(compareValues(Decimal128.fromString('1.5'), 2)).toBeLessThan(0);
    expect(
      compareValues(Long.fromString('9007199254740993'), Long.fromString('9007199254740992')),
    ).toBeGreaterThan(0);
  });

  it('compares documents field by field and arrays element by element', () => {
    expect(compareValues({ a: 1, b: 2 }, { a: 1, c: 0 })).toBeLessThan(0);
    expect(compareValues([1, 2], [1, 2, 0])).toBeLessThan(0);
  });
});

describe('valueKey', () => {
  it('makes numbers of different BSON types equal and keeps document field order', () => {
    expect(valueKey(Long.fromNumber(7))).toBe(valueKey(7));
    expect(valueKey({ a: 1, b: 2 })).not.toBe(valueKey({ b: 2, a: 1 }));
    expect(valueKey(null)).toBe(valueKey(undefined));
    expect(valueKey('1')).not.toBe(valueKey(1));
  });
});

describe('sameValue', () => {
  it('tells changed documents from identical ones', () => {
    const at = new Date(5);
    expect(sameValue({ a: [1, { b: at }] }, { a: [1, { b: new Date(5) }] })).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameValue({ a: [1] }, { a: [1, 2] })).toBe(false);
  });
});

describe('valuesAtPath', () => {
  it('descends into arrays of documents and numeric indexes', () => {
    const doc = { a: [{ b: 1 }, { b: [2, 3] }, { c: 4 }], d: { e: 5 } };
    expect(valuesAtPath(doc, 'a.b')).toEqual([1, [2, 3]]);
    expect(valuesAtPath(doc, 'a.1.b')).toEqual([[2, 3]]);
    expect(valuesAtPath(doc, 'd.e')).toEqual([5]);
    expect(valuesAtPath(doc, 'x.y')).toEqual([]);
  });
});

describe('regexes', () => {
  it('converts BSON options, including s (dotAll) and x (extended)', () => {
    expect(toJsRegExp(new BSONRegExp('a.b', 's')).test('a\nb')).toBe(true);
    expect(toJsRegExp(new BSONRegExp('a b # comment', 'x')).test('ab')).toBe(true);
    expect(toJsRegExp(new BSONRegExp('^X', 'i')).test('xyz')).toBe(true);
  });

  it('merges $options into a RegExp $regex', () => {
    const filter = normalizeFilter({ s: { $regex: /abc/, $options: 'i' } });
    expect((filter.s as { $regex: RegExp }).$regex.flags).toBe('i');
    expect(filter.s).not.toHaveProperty('$options');
  });
});
