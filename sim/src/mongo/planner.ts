import type { Document } from 'bson';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { isPlainDocument, type Value } from './bson-values.js';
import type { Collection } from './collection.js';
import { lookupKey } from './indexes.js';
import type { Predicate } from './matcher.js';

/** Documents examined between yields to the event loop, so heartbeats are answered during long scans. */
const CHUNK = 4096;
const MAX_LOOKUPS = 1000;

/** Values a filter pins each top-level field to by equality (`{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`). */
function equalities(filter: Document, out = new Map<string, Value[]>()): Map<string, Value[]> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainDocument(part)) equalities(part, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    let values: Value[] | undefined;
    if (isPlainDocument(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      const ops = Object.keys(cond);
      if (ops.length === 1 && ops[0] === '$eq') values = [cond.$eq];
      else if (ops.length === 1 && ops[0] === '$in' && Array.isArray(cond.$in)) values = cond.$in as Value[];
    } else {
      values = [cond];
    }
    // Arrays, regexes and null match more than their own index key, so they cannot drive a lookup.
    if (
      values?.every(
        (v) => v !== null && v !== undefined && !Array.isArray(v) && !(v instanceof RegExp) && !isRegex(v),
      )
    ) {
      out.set(field, values);
    }
  }
  return out;
}

const isRegex = (v: Value): boolean => (v as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp';

/** A unique index usable for an exact lookup of `filter`, with the keys to look up. */
export function uniqueLookup(
  coll: Collection,
  filter: Document,
): { indexName: string; keys: string[] } | undefined {
  const eq = equalities(filter);
  if (eq.size === 0) return undefined;
  for (const index of coll.unique.values()) {
    if (index.spec.partialFilterExpression || index.spec.sparse === true) continue;
    if (!index.fields.every((f) => eq.has(f))) continue;
    let combos: Value[][] = [[]];
    for (const field of index.fields) {
      const values = eq.get(field) ?? [];
      combos = combos.flatMap((c) => values.map((v) => [...c, v]));
      if (combos.length > MAX_LOOKUPS) break;
    }
    if (combos.length > MAX_LOOKUPS) continue;
    return { indexName: index.spec.name, keys: combos.map(lookupKey) };
  }
  return undefined;
}

/**
 * The record ids (ascending) of the documents that can match `filter` by the equality it pins on the first
 * field of a non-unique index (see Collection.keyedRecords), choosing the field that selects the fewest; or
 * undefined when no pinned field has such an index. Every matching document is among them: the index holds
 * each value (each array element) a document has, under the key equal values share.
 */
function keyedCandidates(coll: Collection, filter: Document): number[] | undefined {
  let best: { field: string; keys: string[]; count: number } | undefined;
  for (const [field, values] of equalities(filter)) {
    if (field.includes('.')) continue;
    const keys = values.map((v) => lookupKey([v]));
    const count = coll.keyedCount(field, keys);
    if (count !== undefined && (!best || count < best.count)) best = { field, keys, count };
  }
  return best && coll.keyedRecords(best.field, best.keys);
}

/**
 * The stored documents matching `predicate` (record id and document, in insertion order), served by a
 * unique-index lookup when the filter pins a unique index, else by the documents a non-unique index gives for
 * a pinned field, else by a scan; both of the latter yield every few thousand documents. Stops after `limit`
 * matches when given.
 */
export async function matchDocuments(
  coll: Collection,
  filter: Document,
  predicate: Predicate,
  limit?: number,
): Promise<Array<[number, Document]>> {
  const out: Array<[number, Document]> = [];
  const lookup = uniqueLookup(coll, filter);
  if (lookup) {
    const ids = new Set<number>();
    for (const key of lookup.keys) {
      const id = coll.lookup(lookup.indexName, key);
      if (id !== undefined) ids.add(id);
    }
    for (const id of [...ids].sort((a, b) => a - b)) {
      const doc = coll.get(id);
      if (doc && predicate(doc)) out.push([id, doc]);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }
  const candidates = keyedCandidates(coll, filter);
  // Read every candidate now, as a scan reads its snapshot, so writes during a yield are not seen.
  const all = candidates
    ? candidates.flatMap((id): Array<[number, Document]> => {
        const doc = coll.get(id);
        return doc ? [[id, doc]] : [];
      })
    : coll.snapshot();
  for (let i = 0; i < all.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    const entry = all[i] as [number, Document];
    if (predicate(entry[1])) {
      out.push(entry);
      if (limit !== undefined && out.length >= limit) break;
    }
  }
  return out;
}

function filterFields(filter: Document, out = new Set<string>()): Set<string> {
  for (const [field, cond] of Object.entries(filter)) {
    if ((field === '$and' || field === '$or') && Array.isArray(cond)) {
      // An $or is index-served only if every branch is; approximate with the fields all branches share.
      const branches = cond.filter(isPlainDocument).map((b) => filterFields(b));
      if (field === '$and') branches.forEach((b) => b.forEach((f) => out.add(f)));
      else if (branches.length)
        for (const f of branches[0] ?? []) if (branches.every((b) => b.has(f))) out.add(f);
    } else if (!field.startsWith('$')) {
      out.add(field);
    }
  }
  return out;
}

/**
 * The plan the sim reports for `explain`: IDHACK for an `_id` lookup, else the index whose key prefix covers
 * the most filtered fields (then the sort), else COLLSCAN. It describes index choice only; the sim always
 * executes as {@link matchDocuments} does.
 */
export function explainPlan(coll: Collection, filter: Document, sort: Document | undefined): Document {
  const lookup = uniqueLookup(coll, filter);
  if (lookup?.indexName === '_id_') return { stage: 'IDHACK' };
  const fields = filterFields(filter);
  const sortFields = Object.keys(sort ?? {});
  let best: { name: string; key: Document; score: number } | undefined;
  for (const spec of coll.indexes) {
    const keys = Object.keys(spec.key);
    let score = 0;
    while (score < keys.length && fields.has(keys[score] as string)) score++;
    let sortScore = 0;
    const rest = keys.slice(score);
    while (sortScore < sortFields.length && rest[sortScore] === sortFields[sortScore]) sortScore++;
    const total = score * 2 + (sortScore > 0 ? 1 : 0);
    if (total > 0 && (!best || total > best.score)) best = { name: spec.name, key: spec.key, score: total };
  }
  if (!best) return { stage: 'COLLSCAN', filter, direction: 'forward' };
  return {
    stage: 'FETCH',
    inputStage: { stage: 'IXSCAN', keyPattern: best.key, indexName: best.name, direction: 'forward' },
  };
}
