import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import { eventsCollection } from '../store/collections.js';
import type { CompiledRule } from './compiled-rules.js';
import { insertAlerts } from './insert-alerts.js';
import { alertsCollection } from './store.js';
import type { RuleThreshold } from './schemas.js';
import type { AlertDocument } from './store.js';

/** Most stored matches read for one actor's window; beyond it the burst is obvious anyway. */
const MAX_WINDOW_EVENTS = 5000;

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

/**
 * Threshold rules: for each actor with new matches, read the stored matches of that actor around them (the
 * rule's own filter, served by the actor_display index), find the events in a burst of `count` within
 * `window_minutes`, and raise one alert per burst: new burst events join the actor's alert while it is still
 * within the window, otherwise a new alert starts. Returns the alerts created (not the ones extended).
 */
export async function evaluateThreshold(
  db: Db,
  compiled: CompiledRule & { rule: { threshold: RuleThreshold } },
  matched: readonly NormalizedEvent[],
  now: Date,
): Promise<AlertDocument[]> {
  const { rule } = compiled;
  const windowMs = rule.threshold.window_minutes * 60_000;
  const byActor = new Map<string, NormalizedEvent[]>();
  for (const event of matched) {
    const list = byActor.get(event.actor_display) ?? [];
    list.push(event);
    byActor.set(event.actor_display, list);
  }
  const created: AlertDocument[] = [];
  for (const [actor, events] of byActor) {
    const times = events.map((e) => e.timestamp.getTime());
    const stored = await eventsCollection(db)
      .find(
        {
          $and: [
            compiled.filter,
            {
              actor_display: actor,
              timestamp: {
                $gte: new Date(Math.min(...times) - windowMs),
                $lte: new Date(Math.max(...times) + windowMs),
              },
            },
          ],
        },
        { projection: { _id: 1, dedupe_key: 1, timestamp: 1 } },
      )
      .sort({ timestamp: 1, _id: 1 })
      .limit(MAX_WINDOW_EVENTS)
      .toArray();
    const hot = burstMembers(
      stored.map((d) => d.timestamp.getTime()),
      rule.threshold.count,
      windowMs,
    );
    const fresh = new Set(events.map((e) => e.dedupe_key));
    const burst = stored.filter((_d, i) => hot[i]);
    const firstNew = burst.find((d) => fresh.has(d.dedupe_key));
    if (!firstNew) continue;
    const keys = burst.map((d) => d.dedupe_key);
    const firstSeen = burst[0]!.timestamp;
    const lastSeen = burst.at(-1)!.timestamp;
    const extended = await alertsCollection(db).updateOne(
      { rule_id: rule._id, actor, last_seen: { $gte: new Date(firstNew.timestamp.getTime() - windowMs) } },
      {
        $addToSet: { event_keys: { $each: keys } },
        $min: { first_seen: firstSeen },
        $max: { last_seen: lastSeen },
      },
    );
    if (extended.matchedCount > 0) continue;
    created.push(
      ...(await insertAlerts(db, [
        {
          _id: new ObjectId(),
          rule_id: rule._id,
          rule_name: rule.name,
          severity: rule.severity,
          key: `burst:${actor}:${firstNew.dedupe_key}`,
          actor,
          event_keys: keys,
          first_seen: firstSeen,
          last_seen: lastSeen,
          created_at: now,
          acknowledged: false,
          acknowledged_at: null,
          acknowledged_by: null,
        },
      ])),
    );
  }
  return created;
}
