import { LRUCache } from 'lru-cache';
import type { NormalizedEvent } from '../events/model.js';

/** One stored match of a threshold rule. */
export interface Match {
  key: string;
  time: number;
}

/** A stored event as a threshold rule's read returns it. */
export interface StoredMatch {
  dedupe_key: string;
  timestamp: Date;
  actor_display: string;
}

interface Entry {
  /** The actor's matches at or after this time are all known. */
  from: number;
  matches: Map<string, number>;
  /** The actor's burst alert as this process last planned its writes: its key, and the last time it covers. */
  open?: OpenAlert;
}

/** A burst alert's key and last covered time. */
export interface OpenAlert {
  key: string;
  lastSeen: number;
}

const earliest = (events: readonly NormalizedEvent[]) =>
  Math.min(...events.map((e) => e.timestamp.getTime()));

/**
 * A threshold rule's recent matches per actor. The rule's stored matches are read for every actor at once,
 * from a window before the batch that needs them (so bursts spanning a restart or begun by another replica
 * count: see `readStoredMatches`), then kept up to date from the batches this process evaluates, so a batch
 * costs no read unless it reaches further back than what is known. What is known expires after `ttlMs`, so
 * matches another replica stored meanwhile are read again within that time. Memory is bounded by
 * `maxActors`; once an actor is pushed out, the next batch reads again.
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
  const entryOf = (actor: string, from: number) => {
    let entry = actors.get(actor);
    if (!entry) {
      entry = { from, matches: new Map() };
      actors.set(actor, entry);
    }
    return entry;
  };

  const current = () => (known && performance.now() < known.until ? known : undefined);

  return {
    /** Whether every actor's recent matches are known (from some time on). */
    loaded(): boolean {
      return current() !== undefined;
    },

    /** Where a read must start for `around` to know every match `windowMs` before these events, or undefined. */
    readFrom(byActor: ReadonlyMap<string, readonly NormalizedEvent[]>, windowMs: number): number | undefined {
      const now = current();
      let reach = Number.POSITIVE_INFINITY;
      let covered = true;
      for (const [actor, events] of byActor) {
        const from = earliest(events) - windowMs;
        reach = Math.min(reach, from);
        if (!now || from < (actors.get(actor)?.from ?? now.from)) covered = false;
      }
      return covered ? undefined : reach;
    },

    /**
     * Replace what is known with a read of the rule's stored matches at or after `from`: of every actor when
     * `complete`, else of some actors only (what is known then lasts for one batch).
     */
    load(stored: readonly StoredMatch[], from: number, complete: boolean): void {
      actors.clear();
      known = complete ? { from, until: performance.now() + ttlMs } : undefined;
      for (const doc of stored)
        entryOf(doc.actor_display, from).matches.set(doc.dedupe_key, doc.timestamp.getTime());
    },

    /** The actor's burst alert as this process last planned its writes, if it still knows (see `setOpen`). */
    open(actor: string): OpenAlert | undefined {
      return actors.get(actor)?.open;
    },

    /**
     * Remember (or, with undefined, forget) the actor's burst alert, so the next write can address it by key.
     * With `expected`, only while the actor's open alert is still that one: a write's outcome corrects what was
     * assumed when it was planned, not what a later batch assumed since.
     */
    setOpen(actor: string, open: OpenAlert | undefined, expected?: OpenAlert): void {
      const entry = actors.get(actor);
      if (!entry || (expected && entry.open !== expected)) return;
      entry.open = open;
    },

    /** The rule's matches (sorted by time) of each actor in `byActor`, with its new events added. */
    around(byActor: ReadonlyMap<string, readonly NormalizedEvent[]>, windowMs: number): Map<string, Match[]> {
      const out = new Map<string, Match[]>();
      for (const [actor, events] of byActor) {
        const first = earliest(events);
        const entry = entryOf(actor, known?.from ?? first - windowMs);
        for (const event of events) entry.matches.set(event.dedupe_key, event.timestamp.getTime());
        // Forget what no window around these (or later) events can reach.
        const horizon = first - 2 * windowMs;
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
