import { ObjectId } from 'bson';
import type { Collection } from './collection.js';
import { isPlainField } from './field-update.js';
import { lookupKey } from './indexes.js';
import {
  decodeElements,
  embeddedElements,
  objectIdElement,
  rawElements,
  type RawElement,
} from './raw-document.js';

const TYPE_STRING = 2;
const TYPE_BOOLEAN = 8;
const STATEMENT_FIELDS = new Set(['q', 'u', 'upsert', 'multi']);
const FIELD_OPERATORS = new Set(['$set', '$unset', '$setOnInsert']);

// JS objects list integer-like keys first whatever the order they were set in; copied bytes keep their order.
const isCopyableField = (name: string): boolean => isPlainField(name) && !/^\d+$/.test(name);

function uniqueIndexOn(coll: Collection, field: string): string | undefined {
  for (const index of coll.unique.values()) {
    if (index.fields.length === 1 && index.fields[0] === field) return index.spec.name;
  }
  return undefined;
}

/** The statement's `q` and `u` when it is an upsert of one document (`upsert: true`, no `multi`), else undefined. */
function upsertParts(statement: Buffer): { q: RawElement; u: RawElement } | undefined {
  let q: RawElement | undefined;
  let u: RawElement | undefined;
  let upsert = false;
  for (const e of rawElements(statement)) {
    if (!STATEMENT_FIELDS.has(e.name)) return undefined;
    if (e.name === 'q') q = e;
    else if (e.name === 'u') u = e;
    else if (e.type !== TYPE_BOOLEAN) return undefined;
    else if (e.name === 'upsert') upsert = statement[e.valueStart] === 1;
    else if (statement[e.valueStart] !== 0) return undefined;
  }
  return upsert && q && u ? { q, u } : undefined;
}

/**
 * The fields of the inserted document in order, built as field-update's `applyToSeed` builds them (the filter's
 * field first, `$set` then `$setOnInsert`, `$unset` removing), or undefined when `u` is not made only of those
 * operators on plain top-level fields, each named once.
 */
function insertedFields(key: RawElement, u: RawElement): Map<string, RawElement> | undefined {
  const ops = embeddedElements(u);
  if (!ops || ops.length === 0) return undefined;
  const steps: Array<[string, RawElement[]]> = [];
  let onInsert: RawElement[] | undefined;
  const seenOps = new Set<string>();
  const seenFields = new Set<string>();
  for (const op of ops) {
    const elements = embeddedElements(op);
    if (!FIELD_OPERATORS.has(op.name) || seenOps.has(op.name) || !elements) return undefined;
    seenOps.add(op.name);
    for (const e of elements) {
      if (!isCopyableField(e.name) || seenFields.has(e.name)) return undefined;
      seenFields.add(e.name);
    }
    if (op.name === '$setOnInsert') onInsert = elements;
    else steps.push([op.name, elements]);
  }
  const fields = new Map<string, RawElement>([[key.name, key]]);
  let merged = false;
  for (const [op, elements] of steps) {
    if (op === '$set') {
      for (const e of [...elements, ...(onInsert ?? [])]) fields.set(e.name, e);
      merged = true;
    } else {
      for (const e of elements) fields.delete(e.name);
    }
  }
  if (onInsert && !merged) for (const e of onInsert) fields.set(e.name, e);
  return fields;
}

/**
 * Runs the insert half of the upsert AOC's store sends — `{q: {f: "<string>"}, u: {$set, $setOnInsert,
 * $unset}, upsert: true}` where `f` alone has a unique index and no document holds the value — on the
 * statement's BSON bytes: the new document is assembled from the statement's own elements and stored as
 * bytes (see Collection), so its values are never deserialized here. The result is the document the general
 * path (update.ts) would insert, field for field. Returns the new `_id`; undefined means the statement has
 * another shape or matches a document, nothing was changed, and the general path must run it. Throws the
 * general path's duplicate key error when another unique index refuses the document.
 */
export function upsertRaw(coll: Collection | undefined, statement: Buffer): ObjectId | undefined {
  if (!coll?.rawIndexable()) return undefined;
  const parts = upsertParts(statement);
  const query = parts && embeddedElements(parts.q);
  const key = query?.length === 1 ? query[0] : undefined;
  if (!parts || !key || key.type !== TYPE_STRING || !isCopyableField(key.name)) return undefined;
  const index = uniqueIndexOn(coll, key.name);
  if (index === undefined) return undefined;
  if (coll.lookup(index, lookupKey([decodeElements([key])[key.name]])) !== undefined) return undefined;
  const fields = insertedFields(key, parts.u);
  if (!fields) return undefined;

  const id = new ObjectId();
  const keyFields = decodeElements([...coll.keyFields()].flatMap((field) => fields.get(field) ?? []));
  keyFields._id = id;
  coll.insertRaw([objectIdElement(id), ...fields.values()], keyFields);
  return id;
}
