import { LRUCache } from 'lru-cache';
import type { Db, Filter } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import { eventsCollection } from '../store/collections.js';
import type { EventDocument } from '../store/collections.js';

/** One stored match of a threshold rule. */
export interface Match {
  key: string;
  time: number;
}

interface Entry {
  /** Matches at or after this time are all known (read from the database, or seen in a batch since). */
  from: number;
  matches: Map<string, number>;
}

/** Most stored matches read at once; beyond it the bursts are obvious anyway. */
const MAX_READ = 20_000;

/**
 * A threshold rule's recent matches per actor. An actor's matches are read from the database once (so bursts
 * spanning a restart or begun by another replica count), then kept up to date from the batches this process
 * evaluates. Entries expire after `ttlMs`, so matches another replica stored meanwhile are read again within
 * that time, and memory stays bounded (`maxActors`).
 */
export function createRecentMatches(options: { ttlMs?: number; maxActors?: number } = {}) {
  const cache = new LRUCache<string, Entry>({
    max: options.maxActors ?? 10_000,
    ttl: options.ttlMs ?? 60_000,
  });
  return {
    /** The rule's matches (sorted by time) of each actor in `byActor`, covering `windowMs` around its new events. */
    async around(
      db: Db,
      filter: Filter<EventDocument>,
      byActor: ReadonlyMap<string, readonly NormalizedEvent[]>,
      windowMs: number,
    ): Promise<Map<string, Match[]>> {
      const unknown: string[] = [];
      let readFrom = Number.POSITIVE_INFINITY;
      let readTo = Number.NEGATIVE_INFINITY;
      for (const [actor, events] of byActor) {
        const times = events.map((e) => e.timestamp.getTime());
        const from = Math.min(...times) - windowMs;
        const entry = cache.get(actor);
        if (entry && from >= entry.from) {
          for (const event of events) entry.matches.set(event.dedupe_key, event.timestamp.getTime());
          continue;
        }
        unknown.push(actor);
        readFrom = Math.min(readFrom, from);
        readTo = Math.max(readTo, Math.max(...times) + windowMs);
      }
      if (unknown.length > 0) {
        // One query for every actor not known yet; the batch's own events are stored already, so included.
        const stored = await eventsCollection(db)
          .find(
            {
              $and: [
                filter,
                {
                  actor_display: { $in: unknown },
                  timestamp: { $gte: new Date(readFrom), $lte: new Date(readTo) },
                },
              ],
            },
            { projection: { _id: 0, dedupe_key: 1, timestamp: 1, actor_display: 1 } },
          )
          .limit(MAX_READ)
          .toArray();
        for (const actor of unknown) cache.set(actor, { from: readFrom, matches: new Map() });
        for (const doc of stored)
          cache.get(doc.actor_display)?.matches.set(doc.dedupe_key, doc.timestamp.getTime());
      }
      const out = new Map<string, Match[]>();
      for (const [actor, events] of byActor) {
        const entry = cache.get(actor);
        if (!entry) continue;
        // Forget what no window around these (or later) events can reach.
        const horizon = Math.min(...events.map((e) => e.timestamp.getTime())) - 2 * windowMs;
        if (horizon > entry.from) {
          for (const [key, time] of entry.matches) if (time < horizon) entry.matches.delete(key);
          entry.from = horizon;
        }
        out.set(
          actor,
          [...entry.matches].map(([key, time]) => ({ key, time })).sort((a, b) => a.time - b.time),
        );
      }
      return out;
    },
  };
}

export type RecentMatches = ReturnType<typeof createRecentMatches>;
