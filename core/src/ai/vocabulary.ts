import type { Db } from 'mongodb';
import type { EventsApi } from '../events/create-events.js';
import { eventsCollection } from '../store/collections.js';

/** The names questions are matched against: values that occur in the stored events. */
export interface Vocabulary {
  actors: string[];
  targets: string[];
  services: string[];
  operations: string[];
  results: string[];
}

/** How many of the newest events the target names are drawn from, like the filter dropdowns' window. */
const TARGET_WINDOW = 5_000;
const MAX_TARGETS = 2_000;
const CACHE_MS = 60_000;

async function targetNames(db: Db): Promise<string[]> {
  const docs = await eventsCollection(db)
    .find({}, { projection: { _id: 0, target_displays: 1 } })
    .sort({ timestamp: -1, _id: -1 })
    .limit(TARGET_WINDOW)
    .toArray();
  const names = new Set<string>();
  for (const doc of docs) {
    for (const name of Array.isArray(doc.target_displays) ? doc.target_displays : []) {
      if (typeof name === 'string' && name.length > 0) names.add(name);
      if (names.size >= MAX_TARGETS) return [...names];
    }
  }
  return [...names];
}

async function loadVocabulary(db: Db, events: Pick<EventsApi, 'filterOptions'>): Promise<Vocabulary> {
  const [options, targets] = await Promise.all([events.filterOptions(), targetNames(db)]);
  const values = (list: { value: string }[]) => list.map((item) => item.value);
  return {
    actors: values(options.actors),
    targets,
    services: values(options.services),
    operations: values(options.operations),
    results: values(options.results),
  };
}

/**
 * The vocabulary, cheap and bounded: actors, services, operations and results from `filterOptions()` (itself
 * cached), target names from the newest {@link TARGET_WINDOW} events through the (timestamp, _id) index; the
 * whole is cached for a minute, and a failed load is not cached.
 */
export function createVocabulary(deps: {
  db: Db;
  clock: () => Date;
  events: Pick<EventsApi, 'filterOptions'>;
}): () => Promise<Vocabulary> {
  let cached: { at: number; value: Promise<Vocabulary> } | undefined;
  return () => {
    const now = deps.clock().getTime();
    if (cached && now - cached.at < CACHE_MS) return cached.value;
    const entry = { at: now, value: loadVocabulary(deps.db, deps.events) };
    cached = entry;
    entry.value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return entry.value;
  };
}
