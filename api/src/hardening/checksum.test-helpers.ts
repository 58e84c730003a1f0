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
      const masked = options.mask ? options.mask(name, doc) : doc;
      hash.update(BSON.EJSON.stringify(masked, { relaxed: false }));
      hash.update('\n');
      count += 1;
    }
    out[name] = { count, sha256: hash.digest('hex') };
  }
  return out;
}
