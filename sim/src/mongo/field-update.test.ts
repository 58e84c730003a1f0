import fc from 'fast-check';
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

describe('compileFieldUpdate: $min, $max and $addToSet', () => {
  it('compares by the server BSON order, across types too', () => {
    const apply = (u: Record<string, unknown>, doc: Record<string, unknown>) =>
      compileFieldUpdate(u)?.apply(doc);
    const at = new Date(1000);
    expect(apply({ $max: { t: new Date(2000) } }, { _id: 1, t: at })).toEqual({ _id: 1, t: new Date(2000) });
    expect(apply({ $min: { t: new Date(2000) } }, { _id: 1, t: at })).toEqual({ _id: 1, t: at });
    // null < numbers < strings < documents < arrays < booleans < dates
    expect(apply({ $max: { v: 'a' } }, { _id: 1, v: 5 })).toEqual({ _id: 1, v: 'a' });
    expect(apply({ $min: { v: null } }, { _id: 1, v: 5 })).toEqual({ _id: 1, v: null });
    expect(apply({ $max: { v: [] } }, { _id: 1, v: {} })).toEqual({ _id: 1, v: [] });
    expect(apply({ $max: { v: at } }, { _id: 1, v: true })).toEqual({ _id: 1, v: at });
    const unchanged = { _id: 1, v: 3 };
    expect(apply({ $max: { v: 3 } }, unchanged)).toBe(unchanged);
    expect(apply({ $min: { n: 1 } }, { _id: 1 })).toEqual({ _id: 1, n: 1 });
  });

  it('adds to a set the values it lacks, by the server equality, and refuses a field that is no array', () => {
    const update = compileFieldUpdate({ $addToSet: { s: { $each: [1, 'b', 1, { p: 1 }] }, t: 'x' } });
    expect(update?.apply({ _id: 1, s: [1.0, 'a'], t: ['x'] })).toEqual({
      _id: 1,
      s: [1, 'a', 'b', { p: 1 }],
      t: ['x'],
    });
    const full = { _id: 1, s: ['b', 1, { p: 1 }], t: ['x'] };
    expect(update?.apply(full)).toBe(full);
    expect(() => update?.apply({ _id: 1, s: 'not an array' })).toThrow(
      expect.objectContaining({
        codeName: 'BadValue',
        message: "Cannot apply $addToSet to non-array field. Field named 's' has non-array type string",
      }),
    );
    expect(update?.applyToSeed({ _id: 2 })).toEqual({ _id: 2, s: [1, 'b', { p: 1 }], t: ['x'] });
    // Values whose index keys collide are still told apart.
    const lookalike = { _id: 1, s: [{ 'a:n1,b': 2 }, ['x\u0000,sy']] };
    expect(
      compileFieldUpdate({ $addToSet: { s: { $each: [{ a: 1, b: 2 }, ['x', 'y']] } } })?.apply(lookalike),
    ).toEqual({
      _id: 1,
      s: [...lookalike.s, { a: 1, b: 2 }, ['x', 'y']],
    });
    expect(compileFieldUpdate({ $addToSet: { s: { $each: 1 } } })).toBeUndefined();
    expect(compileFieldUpdate({ $addToSet: { s: { $each: [1], $sort: 1 } } })).toBeUndefined();
  });
});

describe('compileFieldUpdate against mingo', () => {
  const scalar = fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0.5, -1.5, 2.25),
    fc.constantFrom('', 'a', 'b', 'ab'),
    fc.constantFrom(new Date(0), new Date(1_000), new Date(86_400_000)),
    fc.constant(null),
    fc.boolean(),
  );
  const value = fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('p', 'q'), scalar, { maxKeys: 2 }).map((d) => ({ ...d })),
  );
  const field = fc.constantFrom('a', 'b', 'c', 'd');
  const operand = (op: string) => {
    if (op === '$unset') return fc.constant('');
    if (op !== '$addToSet') return value;
    return fc.oneof(
      value,
      fc.array(value, { maxLength: 3 }).map((each) => ({ $each: each })),
    );
  };
  const operators = ['$set', '$unset', '$setOnInsert', '$min', '$max', '$addToSet'];
  // Each field named once (a field in two operators is a conflict, which mingo's path reports).
  const update = fc
    .uniqueArray(field, { minLength: 1, maxLength: 4 })
    .chain((fields) =>
      fc.tuple(
        ...fields.map((f) =>
          fc.constantFrom(...operators).chain((op) => operand(op).map((v) => [op, f, v] as const)),
        ),
      ),
    )
    .chain((assignments) =>
      fc
        .shuffledSubarray(operators, { minLength: operators.length, maxLength: operators.length })
        .map((order) => {
          const u: Record<string, Record<string, unknown>> = {};
          for (const op of order) for (const [o, f, v] of assignments) if (o === op) (u[op] ??= {})[f] = v;
          return u;
        }),
    );
  const stored = fc.dictionary(field, value, { maxKeys: 4 }).map((fields) => ({ _id: 1, ...fields }));
  const filter = fc.oneof(
    fc.constant({ _id: 9 }),
    fc.record({ _id: fc.constant(9), a: scalar }),
    fc.record({ _id: fc.constant(9), c: fc.array(scalar, { maxLength: 2 }) }),
  );

  /** The outcome of `run`: its document with its fields in order, or its error. */
  const outcome = (run: () => Record<string, unknown>) => {
    try {
      const doc = run();
      const { zz: _zz, ...rest } = doc;
      return { doc: rest, order: Object.keys(rest) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  const isComposite = (v: unknown) =>
    Array.isArray(v) || (typeof v === 'object' && v !== null && !(v instanceof Date));
  /**
   * Where mingo departs from the server, which the direct path follows (see the examples above), there is
   * nothing to compare: it orders arrays and documents against other values differently in $min and $max,
   * ignores an $addToSet on a field that is no array instead of refusing it, adds a value $each names twice
   * twice, and drops the duplicates the array had before.
   */
  const mingoAgrees = (
    doc: Record<string, unknown>,
    u: Record<string, Record<string, unknown>>,
    q: Record<string, unknown>,
  ) =>
    ['$min', '$max'].every((op) =>
      Object.entries(u[op] ?? {}).every(
        ([f, v]) => !isComposite(v) && !isComposite(doc[f]) && !isComposite(q[f]),
      ),
    ) &&
    Object.entries(u.$addToSet ?? {}).every(([f, v]) => {
      const distinct = (list: unknown) =>
        Array.isArray(list) && new Set(list.map((e) => JSON.stringify(e))).size === list.length;
      return (
        distinct((v as { $each?: unknown[] } | null)?.$each ?? []) &&
        (!(f in doc) || distinct(doc[f])) &&
        (!(f in q) || distinct(q[f]))
      );
    });

  it('updates stored documents and builds upserts exactly as the mingo path does', () => {
    fc.assert(
      fc.property(stored, update, filter, (doc, u, q) => {
        fc.pre(mingoAgrees(doc, u, q));
        expect(compileFieldUpdate(u)).toBeDefined();
        // An $inc of a field nobody else names sends the same update through mingo; its field is dropped.
        const viaMingo = compileUpdate({ ...u, $inc: { zz: 0 } }, q);
        const direct = compileUpdate(u, q);
        expect(outcome(() => direct.apply([doc])[0]!)).toEqual(outcome(() => viaMingo.apply([doc])[0]!));
        expect(outcome(() => direct.upsertDocument())).toEqual(outcome(() => viaMingo.upsertDocument()));
      }),
      { numRuns: 2000 },
    );
  });
});
