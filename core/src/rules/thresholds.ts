import type { NormalizedEvent } from '../events/model.js';
import type { CompiledRule, CompiledThreshold } from './compiled-rules.js';
import type { BurstWrite } from './write-alerts.js';

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
 * the window, and return one write per burst (see `writeAlerts`): new burst events join the actor's alert
 * while it is still within the window, otherwise `alert` starts. The alert each write leaves open is recorded
 * in `recent` at once (`assumed`), and corrected by `writeAlerts` should the write turn out otherwise.
 */
export function burstWrites(
  { rule }: CompiledRule,
  { count, windowMs, recent }: CompiledThreshold,
  byActor: ReadonlyMap<string, readonly NormalizedEvent[]>,
  now: Date,
): BurstWrite[] {
  const stored = recent.around(byActor, windowMs);
  const writes: BurstWrite[] = [];
  for (const [actor, events] of byActor) {
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
    if (!firstNew || !lastNew) continue;
    // The burst around the new events (an older, separate burst of the same actor is not theirs).
    const from = firstNew.time - windowMs;
    const to = lastNew.time + windowMs;
    const burst = mine.filter((m, i) => hot[i] && m.time >= from && m.time <= to);
    const open = recent.open(actor);
    const openKey = open && open.lastSeen >= from ? open.key : undefined;
    const key = `burst:${actor}:${firstNew.key}`;
    const lastSeen = burst.at(-1)!.time;
    // What the write will leave open, assumed now so the next batch is planned before this write is done.
    const assumed = {
      key: openKey ?? key,
      lastSeen: Math.max(openKey ? open!.lastSeen : lastSeen, lastSeen),
    };
    recent.setOpen(actor, assumed);
    writes.push({
      openSince: new Date(from),
      ...(openKey ? { openKey } : {}),
      assumed,
      recent,
      alert: {
        rule_id: rule._id,
        rule_name: rule.name,
        severity: rule.severity,
        key,
        actor,
        event_keys: burst.map((m) => m.key),
        first_seen: new Date(burst[0]!.time),
        last_seen: new Date(lastSeen),
        created_at: now,
        acknowledged: false,
        acknowledged_at: null,
        acknowledged_by: null,
      },
    });
  }
  return writes;
}
