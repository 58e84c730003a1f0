import type { Document } from 'bson';
import { compareValues, isPlainDocument, sameValue, typeName, valueKey } from './bson-values.js';
import type { Value } from './bson-values.js';
import { CommandError } from './errors.js';

const FIELD_OPERATORS = new Set(['$set', '$unset', '$setOnInsert', '$min', '$max', '$addToSet']);

/** An update applied field by field, without mingo. */
export interface FieldUpdate {
  /**
   * The updated version of `doc` (left untouched), or `doc` itself when nothing changes. Values are shared
   * with the update statement, not copied: stored documents are never mutated (see Collection).
   */
  apply(doc: Document): Document;
  /** Applies the insert-time operators (the update's plus `$setOnInsert`) to `seed` in place. */
  applyToSeed(seed: Document): Document;
}

/** What one operator does to one field: a new value, the field's removal, or nothing. */
type Change = { value: Value } | 'unset' | 'same';
type FieldOperation = (field: string, current: Value, present: boolean) => Change;

/** A plain top-level field: no path walking, positional operators or array elements to think about. */
export const isPlainField = (path: string): boolean =>
  path.length > 0 &&
  !path.includes('.') &&
  !path.includes('$') &&
  path !== '_id' &&
  path !== '__proto__' &&
  path !== 'constructor' &&
  path !== 'prototype';

/** The values `$addToSet` adds: `{$each: [...]}`'s elements, or the value itself; undefined for other `$` forms. */
function addToSetValues(value: Value): Value[] | undefined {
  if (!isPlainDocument(value) || !Object.keys(value).some((k) => k.startsWith('$'))) return [value];
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$each' && Array.isArray(value.$each)
    ? (value.$each as Value[])
    : undefined;
}

/** One operator on one field, as the server applies it; undefined for a form left to mingo. */
function fieldOperation(op: string, value: Value): FieldOperation | undefined {
  switch (op) {
    case '$set':
    case '$setOnInsert':
      return (_field, current, present) => (present && sameValue(current, value) ? 'same' : { value });
    case '$unset':
      return (_field, _current, present) => (present ? 'unset' : 'same');
    case '$min':
      return (_field, current, present) =>
        !present || compareValues(value, current) < 0 ? { value } : 'same';
    case '$max':
      return (_field, current, present) =>
        !present || compareValues(value, current) > 0 ? { value } : 'same';
    case '$addToSet': {
      const values = addToSetValues(value);
      if (!values) return undefined;
      return (field, current, present) => {
        const list: unknown = present ? current : [];
        if (!Array.isArray(list)) {
          // The server's refusal (mingo would leave the field as it is).
          throw new CommandError(
            'BadValue',
            `Cannot apply $addToSet to non-array field. Field named '${field}' has non-array type ${typeName(list)}`,
          );
        }
        const items = list as Value[];
        // Values by index key (equal values share one; distinct ones rarely do), confirmed by comparison.
        const held = new Map<string, Value[]>();
        const hold = (v: Value) => {
          const key = valueKey(v);
          const same = held.get(key);
          if (same?.some((item) => compareValues(item, v) === 0)) return false;
          if (same) same.push(v);
          else held.set(key, [v]);
          return true;
        };
        for (const item of items) hold(item);
        const added = values.filter(hold);
        return present && added.length === 0 ? 'same' : { value: [...items, ...added] };
      };
    }
    default:
      return undefined;
  }
}

/**
 * Compiles an operator update made only of `$set`, `$unset`, `$setOnInsert`, `$min`, `$max` and `$addToSet`
 * on plain top-level fields (not `_id`), the shape of every upsert and alert update AOC sends, straight to
 * object copies: mingo's per-call setup and the deep copy it needs cost far more than the update itself.
 * Returns undefined for anything else, which mingo handles, and for a field named twice, which the caller
 * reports as a conflict. The caller has already checked operator names.
 */
export function compileFieldUpdate(u: Document): FieldUpdate | undefined {
  // In the order mingo applies them, which decides where new fields go: the operators in the update's order,
  // and for an upsert $setOnInsert's fields right after $set's (or last when there is no $set). A server since
  // 5.0 adds new fields in name order instead; the sim keeps mingo's, which every stored document so far has.
  const onUpdate: Array<[string, FieldOperation]> = [];
  const onInsert: Array<[string, FieldOperation]> = [];
  const seen = new Set<string>();
  let setEnd = -1;
  for (const op in u) {
    const fields: unknown = u[op];
    if (!FIELD_OPERATORS.has(op) || !isPlainDocument(fields)) return undefined;
    const compiled: Array<[string, FieldOperation]> = [];
    for (const field in fields) {
      const operation = fieldOperation(op, fields[field] as Value);
      if (!isPlainField(field) || seen.has(field) || !operation) return undefined;
      seen.add(field);
      compiled.push([field, operation]);
    }
    if (op === '$setOnInsert') onInsert.push(...compiled);
    else onUpdate.push(...compiled);
    if (op === '$set') setEnd = onUpdate.length;
  }
  const atInsert = [...onUpdate];
  atInsert.splice(setEnd < 0 ? onUpdate.length : setEnd, 0, ...onInsert);
  return {
    apply(doc) {
      let out: Document | undefined;
      for (const [field, operation] of onUpdate) {
        const change = operation(field, doc[field] as Value, Object.hasOwn(doc, field));
        if (change === 'same') continue;
        out ??= { ...doc };
        if (change === 'unset') delete out[field];
        else out[field] = change.value;
      }
      return out ?? doc;
    },
    applyToSeed(seed) {
      for (const [field, operation] of atInsert) {
        const change = operation(field, seed[field] as Value, Object.hasOwn(seed, field));
        if (change === 'unset') delete seed[field];
        else if (change !== 'same') seed[field] = change.value;
      }
      return seed;
    },
  };
}
