import { ObjectId, UUID, type Document } from 'bson';
import { duplicateKeyError, CommandError } from './errors.js';
import {
  createUniqueIndex,
  fieldLookupKeys,
  indexKeys,
  keyValueOf,
  lookupField,
  type IndexKey,
  type IndexSpec,
  type UniqueIndex,
} from './indexes.js';
import { decodeElements, documentSize, rawElements, writeDocument, type RawElement } from './raw-document.js';
import { decodeDocument } from './wire.js';

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };
/** Raw documents are carved out of slabs this large: one allocation per document costs more than its copy. */
const SLAB_BYTES = 1 << 20;

/**
 * One collection's documents and indexes. Stored documents are never mutated: an update stores a new object,
 * so a reader's snapshot (an array of the stored objects) stays consistent while writes go on.
 *
 * A document may also be stored as the BSON bytes it arrived in ({@link Collection.insertRaw}) and is
 * deserialized the first time anything reads it. Ingestion writes far more documents than it reads back, and
 * as objects every one of them would be deserialized and then copied twice by the garbage collector on its
 * way to the old generation; as bytes it costs one copy and no collector work.
 */
export class Collection {
  readonly db: string;
  readonly name: string;
  readonly uuid = new UUID();
  readonly options: Document;
  readonly indexes: IndexSpec[] = [ID_INDEX];
  readonly unique = new Map<string, UniqueIndex>();
  private readonly docs = new Map<number, Document | Buffer>();
  /**
   * Per top-level field that starts a usable index ({@link lookupField}): lookup string → record ids. Built the
   * first time a query asks for the field (so ingestion into a collection nobody queries by equality pays
   * nothing), then kept up to date on every write like the unique indexes.
   */
  private readonly fieldMaps = new Map<string, Map<string, Set<number>>>();
  private nextRecordId = 1;
  private slab = Buffer.alloc(0);
  private slabUsed = 0;

  constructor(db: string, name: string, options: Document = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.unique.set('_id_', createUniqueIndex(ID_INDEX));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get size(): number {
    return this.docs.size;
  }

  /** The stored documents with their record ids, in insertion order, as of now. */
  snapshot(): Array<[number, Document]> {
    const out: Array<[number, Document]> = [];
    for (const [recordId, stored] of this.docs) out.push([recordId, this.materialize(recordId, stored)]);
    return out;
  }

  /**
   * The stored documents as {@link snapshot} lists them, except that one still stored as bytes stays so and is
   * given as a document of only the top-level `field`: for scans that read one field, like the TTL monitor,
   * which would otherwise deserialize a whole collection every pass.
   */
  fieldSnapshot(field: string): Array<[number, Document]> {
    const out: Array<[number, Document]> = [];
    for (const [recordId, stored] of this.docs) {
      out.push([
        recordId,
        Buffer.isBuffer(stored)
          ? decodeElements(rawElements(stored).filter((e) => e.name === field))
          : stored,
      ]);
    }
    return out;
  }

  get(recordId: number): Document | undefined {
    const stored = this.docs.get(recordId);
    return stored === undefined ? undefined : this.materialize(recordId, stored);
  }

  /** Stores a new document (with `_id` first, generated if absent); throws on a duplicate key. */
  insert(input: Document): Document {
    const doc = withIdFirst(input);
    const keys = this.checkKeys(doc, undefined);
    const recordId = this.nextRecordId++;
    this.docs.set(recordId, doc);
    this.addKeys(keys, recordId);
    this.addFieldKeys(doc, recordId);
    return doc;
  }

  /**
   * Stores the document made of `elements` (in order, `_id` first) as BSON bytes. `fields` holds its values
   * of every field in {@link keyFields} (and `_id`), decoded; only collections whose unique indexes are
   * {@link rawIndexable} accept raw documents. Throws on a duplicate key.
   */
  insertRaw(elements: readonly RawElement[], fields: Document): void {
    const keys = this.checkKeys(fields, undefined);
    const bytes = writeDocument(elements, this.allocate(documentSize(elements)));
    const recordId = this.nextRecordId++;
    this.docs.set(recordId, bytes);
    this.addKeys(keys, recordId);
    this.addFieldKeys(fields, recordId);
  }

  /** The fields a document's index entries are computed from: every unique index's and every built lookup's. */
  keyFields(): Set<string> {
    const out = new Set<string>(this.fieldMaps.keys());
    for (const index of this.unique.values()) for (const field of index.fields) out.add(field);
    return out;
  }

  /** Whether every unique index reads only plain top-level fields, so a document's keys need nothing else. */
  rawIndexable(): boolean {
    for (const index of this.unique.values()) {
      if (index.spec.partialFilterExpression !== undefined || index.spec.sparse === true) return false;
      if (index.fields.some((f) => f.includes('.'))) return false;
    }
    return true;
  }

  /** Replaces a stored document with `next`; throws on a duplicate key and leaves the old one in place. */
  replace(recordId: number, next: Document): void {
    const previous = this.get(recordId);
    if (!previous) return;
    const keys = this.checkKeys(next, recordId);
    this.removeKeys(previous, recordId);
    this.removeFieldKeys(previous, recordId);
    this.docs.set(recordId, next);
    this.addKeys(keys, recordId);
    this.addFieldKeys(next, recordId);
  }

  remove(recordId: number): boolean {
    const previous = this.get(recordId);
    if (!previous) return false;
    this.removeKeys(previous, recordId);
    this.removeFieldKeys(previous, recordId);
    this.docs.delete(recordId);
    return true;
  }

  /** Record id of the document holding `key` in the named unique index. */
  lookup(indexName: string, key: string): number | undefined {
    return this.unique.get(indexName)?.entries.get(key);
  }

  /**
   * How many record ids the given lookup strings of top-level `field` hold (an upper bound on the documents
   * they select), or undefined when no index can serve equality on `field` ({@link lookupField}).
   */
  keyedCount(field: string, keys: readonly string[]): number | undefined {
    const map = this.fieldMap(field);
    if (!map) return undefined;
    let count = 0;
    for (const key of keys) count += map.get(key)?.size ?? 0;
    return count;
  }

  /** The record ids, ascending, of documents holding any of `keys` in `field` (see {@link keyedCount}). */
  keyedRecords(field: string, keys: readonly string[]): number[] {
    const map = this.fieldMap(field);
    const ids = new Set<number>();
    for (const key of keys) for (const id of map?.get(key) ?? []) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** Adds an index spec; unique ones are built over existing documents and fail on existing duplicates. */
  addIndex(spec: IndexSpec): void {
    if (spec.unique === true) {
      const index = createUniqueIndex(spec);
      for (const [recordId, doc] of this.snapshot()) {
        for (const entry of indexKeys(index, doc)) {
          const holder = index.entries.get(entry.key);
          if (holder !== undefined && holder !== recordId) {
            throw duplicateKeyError(this.ns, spec.name, spec.key, keyValueOf(index, entry.values));
          }
          index.entries.set(entry.key, recordId);
        }
      }
      this.unique.set(spec.name, index);
    }
    this.indexes.push(spec);
  }

  dropIndex(name: string): void {
    const at = this.indexes.findIndex((i) => i.name === name);
    if (at >= 0) this.indexes.splice(at, 1);
    this.unique.delete(name);
    for (const field of this.fieldMaps.keys()) {
      if (!this.indexes.some((spec) => lookupField(spec) === field)) this.fieldMaps.delete(field);
    }
  }

  private fieldMap(field: string): Map<string, Set<number>> | undefined {
    const built = this.fieldMaps.get(field);
    if (built) return built;
    if (!this.indexes.some((spec) => lookupField(spec) === field)) return undefined;
    const map = new Map<string, Set<number>>();
    for (const [recordId, doc] of this.fieldSnapshot(field)) addEntries(map, doc, field, recordId);
    this.fieldMaps.set(field, map);
    return map;
  }

  private addFieldKeys(doc: Document, recordId: number): void {
    for (const [field, map] of this.fieldMaps) addEntries(map, doc, field, recordId);
  }

  private removeFieldKeys(doc: Document, recordId: number): void {
    for (const [field, map] of this.fieldMaps) {
      for (const key of fieldLookupKeys(doc, field)) {
        const ids = map.get(key);
        if (!ids) continue;
        ids.delete(recordId);
        if (ids.size === 0) map.delete(key);
      }
    }
  }

  private allocate(size: number): Buffer {
    if (size > SLAB_BYTES / 8) return Buffer.allocUnsafeSlow(size);
    if (this.slabUsed + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + size);
    this.slabUsed += size;
    return out;
  }

  private materialize(recordId: number, stored: Document | Buffer): Document {
    if (!Buffer.isBuffer(stored)) return stored;
    const doc = decodeDocument(stored);
    this.docs.set(recordId, doc);
    return doc;
  }

  private checkKeys(doc: Document, self: number | undefined): Array<[UniqueIndex, IndexKey[]]> {
    if (Array.isArray(doc._id)) {
      throw new CommandError('BadValue', `The '_id' value cannot be of type array`);
    }
    const out: Array<[UniqueIndex, IndexKey[]]> = [];
    for (const index of this.unique.values()) {
      const keys = indexKeys(index, doc);
      for (const entry of keys) {
        const holder = index.entries.get(entry.key);
        if (holder !== undefined && holder !== self) {
          throw duplicateKeyError(this.ns, index.spec.name, index.spec.key, keyValueOf(index, entry.values));
        }
      }
      out.push([index, keys]);
    }
    return out;
  }

  private addKeys(keys: Array<[UniqueIndex, IndexKey[]]>, recordId: number): void {
    for (const [index, entries] of keys) for (const entry of entries) index.entries.set(entry.key, recordId);
  }

  private removeKeys(doc: Document, recordId: number): void {
    for (const index of this.unique.values()) {
      for (const entry of indexKeys(index, doc)) {
        if (index.entries.get(entry.key) === recordId) index.entries.delete(entry.key);
      }
    }
  }
}

function addEntries(map: Map<string, Set<number>>, doc: Document, field: string, recordId: number): void {
  for (const key of fieldLookupKeys(doc, field)) {
    const ids = map.get(key);
    if (ids) ids.add(recordId);
    else map.set(key, new Set([recordId]));
  }
}

function withIdFirst(doc: Document): Document {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id: _id as unknown, ...rest };
}
