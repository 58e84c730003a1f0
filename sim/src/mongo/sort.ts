import type { Document } from 'bson';
import { compareValues, pathReader, type Value } from './bson-values.js';
import { CommandError } from './errors.js';

// The value a document sorts by on one field: arrays sort by their smallest element ascending and their
// largest descending, missing sorts as null.
function sortValue(read: (doc: Document) => Value[], doc: Document, direction: number): Value {
  const values = read(doc);
  if (values.length === 1 && !Array.isArray(values[0])) return values[0];
  const found = values.flatMap((v) => (Array.isArray(v) ? (v as Value[]) : [v]));
  if (found.length === 0) return null;
  let best = found[0];
  for (const v of found) {
    const c = compareValues(v, best);
    if ((direction > 0 && c < 0) || (direction < 0 && c > 0)) best = v;
  }
  return best;
}

/** Parses a sort specification into [field, ±1] pairs; `$natural` keeps insertion order. */
export function parseSort(sort: Document | undefined): Array<[string, number]> {
  if (!sort) return [];
  return Object.entries(sort).flatMap(([field, dir]): Array<[string, number]> => {
    if (field === '$natural') return [];
    const n = Number(dir);
    if (n !== 1 && n !== -1) {
      throw new CommandError(
        'BadValue',
        `$sort key ordering must be 1 (for ascending) or -1 (for descending)`,
      );
    }
    return [[field, n]];
  });
}

/** Sorts documents by a sort specification with the server's value order; stable for ties. */
export function sortDocuments<T>(items: T[], sort: Document | undefined, docOf: (item: T) => Document): T[] {
  const spec = parseSort(sort);
  if (spec.length === 0) return items;
  const readers = spec.map(([field, dir]) => [pathReader(field), dir] as const);
  const keyed = items.map((item, i) => {
    const doc = docOf(item);
    return { item, i, keys: readers.map(([read, dir]) => sortValue(read, doc, dir)) };
  });
  keyed.sort((a, b) => {
    for (let k = 0; k < spec.length; k++) {
      const c = compareValues(a.keys[k], b.keys[k]);
      if (c !== 0) return c * (spec[k] as [string, number])[1];
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.item);
}
