import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import type { CompiledRule, CompiledThreshold } from './compiled-rules.js';
import { insertAlerts } from './insert-alerts.js';
import { alertsCollection } from './store.js';
import type { AlertDocument } from './store.js';

/**
 * Which of the sorted times lie in some span of `windowMs` holding at least `count` times: a two-pointer
 * sweep, so late-arriving events complete a burst as well as the latest ones do.
 */
export function burstMembers(times: readonly number[], count: number, windowMs: number): boolean[] {
  const hot = times.map(() => false);
  let end = 0;
  let markedTo = -1;
  for (let start = 0; start < times.length; start += 1) {
    if (end < start) end = start;
    while (end + 1 < times.length && times[end + 1]! - times[start]! <= windowMs) end += 1;
    if (end - start + 1 >= count) {
      for (let i = Math.max(start, markedTo + 1); i <= end; i += 1) hot[i] = true;
      markedTo = Math.max(markedTo, end);
    }
  }
  return hot;
}

/** Events by actor, in their order. */
export function groupByActor(events: readonly NormalizedEvent[]): Map<string, NormalizedEvent[]> {
  const byActor = new Map<string, NormalizedEvent[]>();
  for (const event of events) {
    const list = byActor.get(event.actor_display);
    if (list) list.push(event);
    else byActor.set(event.actor_display, [event]);
  }
  return byActor;
}

/**
 * Threshold rules: for each actor with new matches, take the rule's known matches of that actor around them
 * (see `RecentMatches`; the caller has loaded what it lacked), find the events in a burst of `count` within
 * the window, and raise one alert per burst: new burst events join the actor's alert while it is still
 * within the window, otherwise a new alert starts. Returns the alerts created (not the ones extended).
 */
export async function evaluateThreshold(
  db: Db,
  { rule }: CompiledRule,
  { count, windowMs, recent }: CompiledThreshold,
  byActor: ReadonlyMap<string, readonly NormalizedEvent[]>,
  now: Date,
): Promise<AlertDocument[]> {
  const stored = recent.around(byActor, windowMs);
  // Each actor's alert is its own document: their round trips overlap.
  const perActor = [...byActor].map(async ([actor, events]): Promise<AlertDocument[]> => {
    const mine = stored.get(actor) ?? [];
    const hot = burstMembers(
      mine.map((m) => m.time),
      count,
      windowMs,
    );
    const fresh = new Set(events.map((e) => e.dedupe_key));
    const freshHot = mine.filter((m, i) => hot[i] && fresh.has(m.key));
    const firstNew = freshHot[0];
    const lastNew = freshHot.at(-1);
    if (!firstNew || !lastNew) return [];
    // The burst around the new events (an older, separate burst of the same actor is not theirs).
    const from = firstNew.time - windowMs;
    const to = lastNew.time + windowMs;
    const burst = mine.filter((m, i) => hot[i] && m.time >= from && m.time <= to);
    const keys = burst.map((m) => m.key);
    const firstSeen = new Date(burst[0]!.time);
    const lastSeen = new Date(burst.at(-1)!.time);
    const extended = await alertsCollection(db).updateOne(
      { rule_id: rule._id, actor, last_seen: { $gte: new Date(firstNew.time - windowMs) } },
      {
        $addToSet: { event_keys: { $each: keys } },
        $min: { first_seen: firstSeen },
        $max: { last_seen: lastSeen },
      },
    );
    if (extended.matchedCount > 0) return [];
    return insertAlerts(db, [
      {
        _id: new ObjectId(),
        rule_id: rule._id,
        rule_name: rule.name,
        severity: rule.severity,
        key: `burst:${actor}:${firstNew.key}`,
        actor,
        event_keys: keys,
        first_seen: firstSeen,
        last_seen: lastSeen,
        created_at: now,
        acknowledged: false,
        acknowledged_at: null,
        acknowledged_by: null,
      },
    ]);
  });
  return (await Promise.all(perActor)).flat();
}
