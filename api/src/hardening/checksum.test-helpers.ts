import { createHash } from 'node:crypto';
import { BSON } from 'mongodb';
import type { Db, Document } from 'mongodb';

/** A collection's fingerprint: its size and a hash of every document, in `_id` order, in canonical EJSON. */
export interface CollectionChecksum {
  count: number;
  sha256: string;
}

export interface ChecksumOptions {
  /** Collections left out: operational state a legitimate request changes (watermarks, leases, health). */
  skip?: readonly string[];
  /** Rewrites a document before hashing (e.g. masks the fields a legitimate edit may change). */
  mask?: (collection: string, doc: Document) => Document;
  /** Hashes only the documents this accepts (e.g. those that existed before, not ones a valid request created). */
  include?: (collection: string, doc: Document) => boolean;
}

/** The `_id`s of every document, per collection (to tell pre-existing documents from created ones later). */
export async function idsByCollection(db: Db): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const ids = new Set<string>();
    for await (const doc of db.collection(name).find({}, { projection: { _id: 1 } }))
      ids.add(String(doc._id));
    out.set(name, ids);
  }
  return out;
}

/** Fingerprints of every collection of the database, read through the driver. */
export async function checksumDatabase(
  db: Db,
  options: ChecksumOptions = {},
): Promise<Record<string, CollectionChecksum>> {
  const skip = new Set(options.skip ?? []);
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !skip.has(name) && !name.startsWith('system.'))
    .sort();
  const out: Record<string, CollectionChecksum> = {};
  for (const name of names) {
    const hash = createHash('sha256');
    let count = 0;
    for await (const doc of db.collection(name).find({}).sort({ _id: 1 })) {
      if (options.include && !options.include(name, doc)) continue;
      const masked = options.mask ? options.mask(name, doc) : doc;
      hash.update(BSON.EJSON.stringify(masked, { relaxed: false }));
      hash.update('\n');
      count += 1;
    }
    out[name] = { count, sha256: hash.digest('hex') };
  }
  return out;
}
