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

/** A plain top-level field: no path walking, positional operators or array elements to think about. */
export const isPlainField = (path: string): boolean =>
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
 * anything else, which mingo handles, and for a field named twice, which the caller reports as a conflict.
 * The caller has already checked operator names.
 */
export function compileFieldUpdate(u: Document): FieldUpdate | undefined {
  const onUpdate: Array<[string, Document]> = [];
  const seen = new Set<string>();
  for (const op in u) {
    const fields: unknown = u[op];
    if (!FIELD_OPERATORS.has(op) || !isPlainDocument(fields)) return undefined;
    for (const field in fields) {
      if (!isPlainField(field) || seen.has(field)) return undefined;
      seen.add(field);
    }
    if (op !== '$setOnInsert') onUpdate.push([op, fields]);
  }
  return {
    apply(doc) {
      let out: Document | undefined;
      for (const [op, fields] of onUpdate) {
        for (const field in fields) {
          const current = out ?? doc;
          if (op === '$set') {
            const value: unknown = fields[field];
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
      // As mingo applies $setOnInsert: merged into $set (after its fields), which keeps its place.
      const onInsert = isPlainDocument(u.$setOnInsert) ? u.$setOnInsert : undefined;
      let merged = false;
      for (const [op, fields] of onUpdate) {
        if (op === '$set') {
          setFields(seed, fields);
          if (onInsert) setFields(seed, onInsert);
          merged = true;
        } else {
          for (const field in fields) delete seed[field];
        }
      }
      if (onInsert && !merged) setFields(seed, onInsert);
      return seed;
    },
  };
}

function setFields(doc: Document, fields: Document): void {
  for (const field in fields) doc[field] = fields[field] as unknown;
}
