import type { Collection, Db, Document, IndexDescription } from 'mongodb';
import type { Logger } from '../logger.js';
import { eventsCollection } from './collections.js';

/** One index as AOC wants it: the key pattern (order matters) and the options that change its meaning. */
export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  expireAfterSeconds?: number;
}

/** Every list query sorts on this; the keyset cursor relies on it being total (`_id` breaks ties). */
export const EVENT_SORT = { timestamp: -1, _id: -1 } as const;

/**
 * Fields the console and API filter on; each gets `{ field: 1, timestamp: -1, _id: -1 }`, so an equality
 * (or anchored-prefix) match on the field plus the list sort is served by one index, without a blocking sort.
 * `search_terms`, `tags` and `target_displays` are arrays: those indexes are multikey.
 */
export const EVENT_FILTER_FIELDS = [
  'service',
  'operation',
  'result',
  'actor_display',
  'source',
  'tags',
  'target_displays',
  'search_terms',
] as const;

const TTL_KEY = { timestamp: 1 } as const;
const SECONDS_PER_DAY = 86_400;

/** The indexes of `events` for a retention setting (days, or undefined to keep events forever). */
export function eventIndexSpecs(retentionDays: number | undefined): IndexSpec[] {
  const specs: IndexSpec[] = [
    { name: 'dedupe_key_unique', key: { dedupe_key: 1 }, unique: true },
    { name: 'timestamp_id', key: { ...EVENT_SORT } },
    // The source's own id, for `GET /api/events/{id}` called with it (compatibility with the original).
    { name: 'source_id', key: { id: 1 } },
    ...EVENT_FILTER_FIELDS.map((field) => ({
      name: `${field}_timestamp_id`,
      key: { [field]: 1, ...EVENT_SORT },
    })),
  ];
  if (retentionDays !== undefined) {
    specs.push({
      name: 'timestamp_ttl',
      key: { ...TTL_KEY },
      expireAfterSeconds: retentionDays * SECONDS_PER_DAY,
    });
  }
  return specs;
}

export interface IndexReport {
  created: string[];
  changed: string[];
  dropped: string[];
  /** Unique indexes that could not be built because existing documents collide (fix with `aoc dedupe`). */
  degraded: string[];
}

const NAMESPACE_NOT_FOUND = 26;
const DUPLICATE_KEY = 11000;

function sameKey(a: Document, b: Record<string, number>): boolean {
  const left = Object.entries(a).map(([k, v]) => [k, Number(v)] as const);
  const right = Object.entries(b);
  return (
    left.length === right.length && left.every(([k, v], i) => right[i]?.[0] === k && right[i]?.[1] === v)
  );
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown }).code;
}

async function existingIndexes(collection: Collection<Document>): Promise<Document[]> {
  try {
    return await collection.indexes();
  } catch (error) {
    if (errorCode(error) === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}

function description(spec: IndexSpec): IndexDescription {
  return {
    key: spec.key,
    name: spec.name,
    ...(spec.unique ? { unique: true } : {}),
    ...(spec.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: spec.expireAfterSeconds }),
  };
}

async function setTtl(collection: Collection<Document>, name: string, seconds: number): Promise<void> {
  try {
    await collection.db.command({
      collMod: collection.collectionName,
      index: { name, expireAfterSeconds: seconds },
    });
  } catch {
    // Servers without collMod support for TTL changes get the same result the slow way.
    await collection.dropIndex(name);
    await collection.createIndexes([{ key: TTL_KEY, name, expireAfterSeconds: seconds }]);
  }
}

/**
 * Bring a collection's indexes to `specs`, idempotently: indexes are matched by key pattern (so indexes left
 * by the original service under other names count), a changed TTL is altered in place, other changed options
 * are dropped and rebuilt, and a TTL index on `{ timestamp: 1 }` that is no longer wanted is dropped. A unique
 * index that existing duplicates prevent is built non-unique instead and reported as degraded, so AOC still
 * starts on old data; `aoc dedupe` then removes the duplicates and restores it.
 */
export async function ensureIndexes(
  collection: Collection<Document>,
  specs: readonly IndexSpec[],
  log?: Logger,
): Promise<IndexReport> {
  const report: IndexReport = { created: [], changed: [], dropped: [], degraded: [] };
  const existing = await existingIndexes(collection);
  for (const spec of specs) {
    const found = existing.find((index) => sameKey(index.key as Document, spec.key));
    if (found) {
      const sameUnique = Boolean(found.unique) === Boolean(spec.unique);
      const foundTtl = found.expireAfterSeconds as number | undefined;
      if (sameUnique && foundTtl === spec.expireAfterSeconds) continue;
      const name = String(found.name);
      if (sameUnique && foundTtl !== undefined && spec.expireAfterSeconds !== undefined) {
        await setTtl(collection, name, spec.expireAfterSeconds);
        report.changed.push(name);
        continue;
      }
      await collection.dropIndex(name);
      report.changed.push(spec.name);
    } else {
      report.created.push(spec.name);
    }
    try {
      await collection.createIndexes([description(spec)]);
    } catch (error) {
      if (!(spec.unique && errorCode(error) === DUPLICATE_KEY)) throw error;
      log?.warn({ index: spec.name }, 'duplicate documents prevent a unique index; run `aoc dedupe` to fix');
      await collection.createIndexes([{ ...description(spec), unique: false }]);
      report.degraded.push(spec.name);
    }
  }
  const wantsTtl = specs.some((spec) => sameKey(TTL_KEY, spec.key));
  const staleTtl = existing.find(
    (index) => sameKey(index.key as Document, TTL_KEY) && index.expireAfterSeconds !== undefined,
  );
  if (!wantsTtl && staleTtl) {
    await collection.dropIndex(String(staleTtl.name));
    report.dropped.push(String(staleTtl.name));
  }
  return report;
}

/**
 * Create (or update) the indexes of `events` for the configured retention. Safe to call at every startup and
 * from several replicas at once.
 */
export async function ensureEventIndexes(
  db: Db,
  options: { retentionDays: number | undefined; log?: Logger },
): Promise<IndexReport> {
  const collection = eventsCollection(db) as unknown as Collection<Document>;
  const report = await ensureIndexes(collection, eventIndexSpecs(options.retentionDays), options.log);
  if (report.created.length + report.changed.length + report.dropped.length > 0) {
    options.log?.info({ ...report }, 'event indexes updated');
  }
  return report;
}
