import type { Document } from 'bson';
import { isPlainDocument, sameValue } from './bson-values.js';

const FIELD_OPERATORS = new Set(['$set', '$unset', '$setOnInsert']);

/** `$set`/`$unset` applied field by field, without mingo. */
export interface FieldUpdate {
  /**
   * The updated version of `doc` (left untouched), or `doc` itself when nothing changes. Values are shared
   * with the update statement, not copied: stored documents are never mutated (see Collection).
   */
  apply(doc: Document): Document;
  /** Applies the insert-time operators (the update's plus `$setOnInsert`) to `seed` in place. */
  applyToSeed(seed: Document): Document;
}

// A plain top-level field: no path walking, positional operators or array elements to think about.
const isPlainField = (path: string): boolean =>
  path.length > 0 &&
  !path.includes('.') &&
  !path.includes('$') &&
  path !== '_id' &&
  path !== '__proto__' &&
  path !== 'constructor' &&
  path !== 'prototype';

/**
 * Compiles an operator update made only of `$set`, `$unset` and `$setOnInsert` on plain top-level fields
 * (not `_id`), the shape of every upsert AOC's store sends, straight to object copies: mingo's per-call setup
 * and the deep copy it needs cost far more than the update itself for large documents. Returns undefined for
 * anything else, which mingo handles. The caller has already checked operator names and path conflicts.
 */
export function compileFieldUpdate(u: Document): FieldUpdate | undefined {
  for (const [op, fields] of Object.entries(u)) {
    if (!FIELD_OPERATORS.has(op) || !isPlainDocument(fields)) return undefined;
    if (!Object.keys(fields).every(isPlainField)) return undefined;
  }
  const steps = (onInsert: boolean): Array<[string, Document]> => {
    const out: Array<[string, Document]> = [];
    for (const [op, fields] of Object.entries(u) as Array<[string, Document]>) {
      if (op !== '$setOnInsert') out.push([op, fields]);
    }
    if (onInsert && isPlainDocument(u.$setOnInsert)) {
      // As mingo applies it: merged into $set, which keeps its place among the operators.
      const at = out.findIndex(([op]) => op === '$set');
      const merged: Document = { ...(at >= 0 ? (out[at] as [string, Document])[1] : {}), ...u.$setOnInsert };
      if (at >= 0) out[at] = ['$set', merged];
      else out.push(['$set', merged]);
    }
    return out;
  };
  const onUpdate = steps(false);
  const onInsert = steps(true);
  return {
    apply(doc) {
      let out: Document | undefined;
      for (const [op, fields] of onUpdate) {
        for (const [field, value] of Object.entries(fields) as Array<[string, unknown]>) {
          const current = out ?? doc;
          if (op === '$set') {
            if (Object.hasOwn(current, field) && sameValue(current[field], value)) continue;
            out ??= { ...doc };
            out[field] = value;
          } else if (Object.hasOwn(current, field)) {
            out ??= { ...doc };
            delete out[field];
          }
        }
      }
      return out ?? doc;
    },
    applyToSeed(seed) {
      for (const [op, fields] of onInsert) {
        for (const [field, value] of Object.entries(fields) as Array<[string, unknown]>) {
          if (op === '$set') seed[field] = value;
          else delete seed[field];
        }
      }
      return seed;
    },
  };
}
