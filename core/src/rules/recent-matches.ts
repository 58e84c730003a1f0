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
  /** The actor's matches at or after this time are all known. */
  from: number;
  matches: Map<string, number>;
}

/** Most stored matches read at once; beyond it the bursts are obvious anyway. */
const MAX_READ = 20_000;

/**
 * A threshold rule's recent matches per actor. The rule's stored matches are read for every actor at once,
 * from a window before the batch that needs them (so bursts spanning a restart or begun by another replica
 * count), then kept up to date from the batches this process evaluates: a batch costs no read unless it
 * reaches further back than what is known. What is known expires after `ttlMs`, so matches another replica
 * stored meanwhile are read again within that time. Memory is bounded by `maxActors`; once an actor is pushed
 * out, the next batch reads again (and a rule whose window holds more than `MAX_READ` matches reads only the
 * batch's actors, every batch).
 */
export function createRecentMatches(options: { ttlMs?: number; maxActors?: number } = {}) {
  const ttlMs = options.ttlMs ?? 60_000;
  // Every actor's matches at or after `from` are known (an actor without an entry has none) until `until`.
  let known: { from: number; until: number } | undefined;
  const actors = new LRUCache<string, Entry>({
    max: options.maxActors ?? 10_000,
    dispose: (_entry, _actor, reason) => {
      if (reason === 'evict') known = undefined;
    },
  });

  const read = async (db: Db, filter: Filter<EventDocument>, from: number, only?: readonly string[]) => {
    const stored = await eventsCollection(db)
      .find(
        {
          $and: [
            filter,
            { timestamp: { $gte: new Date(from) }, ...(only ? { actor_display: { $in: [...only] } } : {}) },
          ],
        },
        { projection: { _id: 0, dedupe_key: 1, timestamp: 1, actor_display: 1 } },
      )
      .limit(MAX_READ)
      .toArray();
    return { stored, complete: stored.length < MAX_READ };
  };

  const remember = (stored: readonly EventDocument[], from: number) => {
    for (const doc of stored) {
      let entry = actors.get(doc.actor_display);
      if (!entry) {
        entry = { from, matches: new Map() };
        actors.set(doc.actor_display, entry);
      }
      entry.matches.set(doc.dedupe_key, doc.timestamp.getTime());
    }
  };

  return {
    /** The rule's matches (sorted by time) of each actor in `byActor`, covering `windowMs` around its new events. */
    async around(
      db: Db,
      filter: Filter<EventDocument>,
      byActor: ReadonlyMap<string, readonly NormalizedEvent[]>,
      windowMs: number,
    ): Promise<Map<string, Match[]>> {
      const earliest = new Map<string, number>();
      for (const [actor, events] of byActor)
        earliest.set(actor, Math.min(...events.map((e) => e.timestamp.getTime())));
      const reach = Math.min(...earliest.values()) - windowMs;
      const current = known && performance.now() < known.until ? known : undefined;
      const covered = (actor: string) =>
        current !== undefined && earliest.get(actor)! - windowMs >= (actors.get(actor)?.from ?? current.from);
      if (![...byActor.keys()].every(covered)) {
        // The batch's own events are stored already, so the read includes them.
        const all = await read(db, filter, reach);
        actors.clear();
        if (all.complete) {
          known = { from: reach, until: performance.now() + ttlMs };
          remember(all.stored, reach);
        } else {
          known = undefined;
          remember((await read(db, filter, reach, [...byActor.keys()])).stored, reach);
        }
      }
      const out = new Map<string, Match[]>();
      for (const [actor, events] of byActor) {
        let entry = actors.get(actor);
        if (!entry) {
          entry = { from: known?.from ?? reach, matches: new Map() };
          actors.set(actor, entry);
        }
        for (const event of events) entry.matches.set(event.dedupe_key, event.timestamp.getTime());
        // Forget what no window around these (or later) events can reach.
        const horizon = earliest.get(actor)! - 2 * windowMs;
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
