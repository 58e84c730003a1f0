import type { Db, Document, Filter } from 'mongodb';
import { eventsCollection } from '../store/collections.js';
import type { EventDocument } from '../store/collections.js';
import type { NormalizedEvent } from '../events/model.js';
import type { CompiledRule, CompiledThreshold } from './compiled-rules.js';
import type { StoredMatch } from './recent-matches.js';

/** What one threshold rule needs read: its stored matches at or after `from`. */
export interface MatchRead {
  filter: Filter<EventDocument>;
  from: number;
  /** The actors of the batch, read alone when the rule's window holds too many matches to read them all. */
  actors: readonly string[];
}

/** Most stored matches read at once, over all rules; beyond it the bursts are obvious anyway. */
const MAX_READ = 20_000;
const PROJECTION = { _id: 0, dedupe_key: 1, timestamp: 1, actor_display: 1 } as const;

const since = (read: MatchRead): Filter<EventDocument> => ({
  $and: [read.filter, { timestamp: { $gte: new Date(read.from) } }],
});

/**
 * The stored matches of several threshold rules in one round trip (a `$facet` per rule over the events any of
 * them matches), so a batch that needs reads for many rules scans the events once. A rule whose share of
 * `MAX_READ` is not enough is read again for the batch's actors only (`complete: false`).
 */
async function readStoredMatches(
  db: Db,
  reads: readonly MatchRead[],
): Promise<{ stored: StoredMatch[]; complete: boolean }[]> {
  if (reads.length === 0) return [];
  const limit = Math.floor(MAX_READ / reads.length);
  const facets: Record<string, Document[]> = {};
  reads.forEach((read, i) => {
    facets[`r${i}`] = [{ $match: since(read) }, { $limit: limit }, { $project: PROJECTION }];
  });
  const from = Math.min(...reads.map((read) => read.from));
  const [result] = await eventsCollection(db)
    .aggregate<Record<string, StoredMatch[]>>([
      { $match: { timestamp: { $gte: new Date(from) }, $or: reads.map((read) => read.filter) } },
      // No rule condition looks at the record's objects; each facet would otherwise carry (copy) them.
      { $project: { raw: 0, actor: 0, targets: 0 } },
      { $facet: facets },
    ])
    .toArray();
  return Promise.all(
    reads.map(async (read, i) => {
      const stored = result?.[`r${i}`] ?? [];
      if (stored.length < limit) return { stored, complete: true };
      const some = await eventsCollection(db)
        .find(
          { $and: [since(read), { actor_display: { $in: [...read.actors] } }] },
          { projection: PROJECTION },
        )
        .limit(limit)
        .toArray();
      return { stored: some, complete: false };
    }),
  );
}

/** A threshold rule's new matches in a batch, by actor, and where its read must start (undefined: none due). */
export interface ThresholdBatch {
  compiled: CompiledRule;
  threshold: CompiledThreshold;
  byActor: ReadonlyMap<string, readonly NormalizedEvent[]>;
  from: number | undefined;
}

/**
 * Load what the batch's threshold rules lack (see `RecentMatches.readFrom`) in one read, together with every
 * other threshold rule of `rules` not loaded yet: read from the same time, it would otherwise cost a read of
 * its own at its first match.
 */
export async function loadRecentMatches(
  db: Db,
  rules: readonly CompiledRule[],
  batch: readonly ThresholdBatch[],
): Promise<void> {
  const due = batch.flatMap((t) => (t.from === undefined ? [] : [{ ...t, from: t.from }]));
  if (due.length === 0) return;
  const from = Math.min(...due.map((t) => t.from));
  const reading = new Set(due.map((t) => t.compiled));
  const reads = [
    ...due,
    ...rules.flatMap((compiled) =>
      compiled.threshold && !reading.has(compiled) && !compiled.threshold.recent.loaded()
        ? [{ compiled, threshold: compiled.threshold, byActor: new Map<string, never>(), from }]
        : [],
    ),
  ];
  const results = await readStoredMatches(
    db,
    reads.map((read) => ({
      filter: read.compiled.filter,
      from: read.from,
      actors: [...read.byActor.keys()],
    })),
  );
  reads.forEach((read, i) => {
    const result = results[i]!;
    read.threshold.recent.load(result.stored, read.from, result.complete);
  });
}
