import type { Document } from 'bson';
import { valueKey, valuesAtPath, type Value } from './bson-values.js';
import { compileFilter, type Predicate } from './matcher.js';

/** An index as listIndexes reports it: `v`, `key`, `name` and the options it was created with. */
export interface IndexSpec extends Document {
  v: number;
  key: Document;
  name: string;
}

/** One index entry: its lookup string and the values it was built from (for duplicate-key errors). */
export interface IndexKey {
  key: string;
  values: Value[];
}

/**
 * A unique index: key string → record id. Non-unique indexes are only recorded (see README), so this is the
 * one structure that is kept up to date on every write.
 */
export interface UniqueIndex {
  spec: IndexSpec;
  fields: string[];
  entries: Map<string, number>;
  /** Documents this index covers (partial filter / sparse); others are not indexed at all. */
  covers: (doc: Document) => boolean;
}

/** Builds the in-memory structure of a unique index (empty; the caller fills it). */
export function createUniqueIndex(spec: IndexSpec): UniqueIndex {
  const fields = Object.keys(spec.key);
  const partial: Predicate | undefined = spec.partialFilterExpression
    ? compileFilter(spec.partialFilterExpression as Document)
    : undefined;
  const sparse = spec.sparse === true;
  const covers = (doc: Document): boolean => {
    if (partial && !partial(doc)) return false;
    if (sparse && fields.every((f) => valuesAtPath(doc, f).length === 0)) return false;
    return true;
  };
  return { spec, fields, entries: new Map(), covers };
}

function fieldKeys(doc: Document, field: string): Value[] {
  const found = valuesAtPath(doc, field);
  if (found.length === 0) return [null];
  const out: Value[] = [];
  for (const v of found) {
    // Arrays index each element (multikey); an empty array indexes as undefined, distinct from null.
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(undefined);
      else out.push(...(v as Value[]));
    } else {
      out.push(v);
    }
  }
  return out;
}

const keyOfValue = (v: Value): string => (v === undefined ? 'u' : valueKey(v));

/** Every distinct entry `doc` produces in a unique index (several for multikey), or none if not covered. */
export function indexKeys(index: UniqueIndex, doc: Document): IndexKey[] {
  if (index.spec.name === '_id_') return [{ key: `|${keyOfValue(doc._id)}`, values: [doc._id] }];
  if (!index.covers(doc)) return [];
  let combos: IndexKey[] = [{ key: '', values: [] }];
  for (const field of index.fields) {
    const next: IndexKey[] = [];
    for (const value of fieldKeys(doc, field)) {
      for (const combo of combos) {
        next.push({ key: `${combo.key}|${keyOfValue(value)}`, values: [...combo.values, value] });
      }
    }
    combos = next;
  }
  const unique = new Map<string, IndexKey>();
  for (const combo of combos) unique.set(combo.key, combo);
  return [...unique.values()];
}

/** The lookup string for an equality on every field of a unique index (values in key order). */
export function lookupKey(values: Value[]): string {
  return values.map((v) => `|${keyOfValue(v)}`).join('');
}

/** `keyValue` of a duplicate key error: index fields mapped to the conflicting values. */
export function keyValueOf(index: UniqueIndex, values: Value[]): Document {
  const out: Document = {};
  index.fields.forEach((f, i) => {
    out[f] = values[i] ?? null;
  });
  return out;
}

/**
 * The field whose equality lookups `spec` can serve from a key → record ids map: its first key field when that
 * is a plain top-level field in ascending or descending order, and the index covers every document (neither
 * partial nor sparse) and compares strings binary (no collation); otherwise undefined.
 */
export function lookupField(spec: IndexSpec): string | undefined {
  if (spec.name === '_id_' || spec.partialFilterExpression !== undefined || spec.sparse === true)
    return undefined;
  if (spec.collation !== undefined) return undefined;
  const field = Object.keys(spec.key)[0];
  if (field === undefined) return undefined;
  const direction: unknown = spec.key[field];
  if (field.includes('.') || field.startsWith('$') || (direction !== 1 && direction !== -1)) return undefined;
  return field;
}

/**
 * The distinct lookup strings (as {@link lookupKey} makes them) of `doc`'s values of the top-level `field`: one
 * per element for an array. Null, missing and empty-array values give none, as no lookup asks for them.
 */
export function fieldLookupKeys(doc: Document, field: string): Set<string> {
  const out = new Set<string>();
  for (const value of fieldKeys(doc, field)) {
    if (value !== null && value !== undefined) out.add(`|${keyOfValue(value)}`);
  }
  return out;
}
