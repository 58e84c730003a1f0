import type { Document } from 'bson';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Collection } from './collection.js';
import type { Predicate } from './matcher.js';
import { candidateCount, SCAN_CHUNK } from './planner.js';
import { parseSort, sortDocuments } from './sort.js';

/** Below this many candidates, matching them all and sorting the matches costs less than keeping an order. */
const SMALL_CANDIDATE_SET = SCAN_CHUNK;
/** Sort orders kept per collection; the oldest goes first. */
const MAX_ORDERS = 8;

/**
 * The first `wanted` documents matching `predicate` in the order of `sort`, or undefined when this read
 * should match and sort as usual.
 *
 * A sorted page ("newest 50 events of Exchange") otherwise costs the sim a sort of every match on every call,
 * where mongod walks an index in order and stops at the limit: with 100k events the console's list took over a
 * second under load. So the collection keeps each sort's order of all its documents, and the read walks it
 * until it has enough matches. An order holds only until the next write. It is made the second time the same
 * sort is read at the same version, so a collection written between reads (ingestion) never pays for it.
 * Ties keep insertion order, as the usual sort does, so both paths give the same documents in the same order.
 * If a write lands while the walk yields, the walk gives up and the read runs as usual.
 */
export async function sortedScan(
  coll: Collection,
  filter: Document,
  predicate: Predicate,
  sort: Document,
  wanted: number,
): Promise<Array<[number, Document]> | undefined> {
  const key = JSON.stringify(parseSort(sort));
  const version = coll.version;
  const known = coll.sortOrders.get(key);
  let ids = known?.version === version ? known.ids : undefined;
  if (!ids) {
    if (candidateCount(coll, filter) <= SMALL_CANDIDATE_SET) return undefined;
    if (known?.version !== version) {
      remember(coll, key, { version });
      return undefined;
    }
    // Only the sorted fields are read from documents still stored as bytes: ingested events stay undecoded.
    const fields = parseSort(sort).map(([path]) => path.split('.')[0] as string);
    ids = sortDocuments(coll.fieldSnapshot(...fields), sort, ([, doc]) => doc).map(([id]) => id);
    remember(coll, key, { version, ids });
  }
  const out: Array<[number, Document]> = [];
  for (let i = 0; i < ids.length && out.length < wanted; i++) {
    if (i > 0 && i % SCAN_CHUNK === 0) {
      await yieldToEventLoop();
      if (coll.version !== version) return undefined;
    }
    const id = ids[i] as number;
    const doc = coll.get(id);
    if (doc && predicate(doc)) out.push([id, doc]);
  }
  return out;
}

function remember(coll: Collection, key: string, entry: { version: number; ids?: number[] }): void {
  coll.sortOrders.delete(key);
  coll.sortOrders.set(key, entry);
  if (coll.sortOrders.size > MAX_ORDERS) {
    const oldest = coll.sortOrders.keys().next().value;
    if (oldest !== undefined) coll.sortOrders.delete(oldest);
  }
}
