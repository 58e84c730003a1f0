import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import { eventsCollection } from '../store/collections.js';
import type { CompiledRule } from './compiled-rules.js';
import { insertAlerts } from './insert-alerts.js';
import type { AlertDocument } from './store.js';
import { evaluateThreshold } from './thresholds.js';

/** The `_id` strings of stored events by dedupe key (alerts link to events by the id the API uses). */
async function storedIds(db: Db, keys: readonly string[]): Promise<Map<string, string>> {
  const docs = await eventsCollection(db)
    .find({ dedupe_key: { $in: [...keys] } }, { projection: { _id: 1, dedupe_key: 1 } })
    .toArray();
  return new Map(docs.map((d) => [d.dedupe_key, d._id.toHexString()]));
}

/**
 * Evaluate a batch of newly stored events against compiled rules: each event is tested in memory against each
 * rule; a plain rule raises one alert per matching event, a threshold rule hands its matches to
 * `evaluateThreshold`. Returns the alerts created.
 */
export async function evaluateBatch(
  db: Db,
  rules: readonly CompiledRule[],
  events: readonly NormalizedEvent[],
  now: Date,
): Promise<AlertDocument[]> {
  const plain: { rule: CompiledRule; event: NormalizedEvent }[] = [];
  const created: AlertDocument[] = [];
  const thresholdMatches: { compiled: CompiledRule; matched: NormalizedEvent[] }[] = [];
  for (const compiled of rules) {
    const matched = events.filter((event) => compiled.matches(event));
    if (matched.length === 0) continue;
    if (compiled.rule.threshold) thresholdMatches.push({ compiled, matched });
    else for (const event of matched) plain.push({ rule: compiled, event });
  }
  if (plain.length > 0) {
    const ids = await storedIds(db, [...new Set(plain.map((m) => m.event.dedupe_key))]);
    const alerts = plain.flatMap(({ rule: { rule }, event }): AlertDocument[] => {
      const id = ids.get(event.dedupe_key);
      if (id === undefined) return [];
      return [
        {
          _id: new ObjectId(),
          rule_id: rule._id,
          rule_name: rule.name,
          severity: rule.severity,
          key: event.dedupe_key,
          actor: event.actor_display,
          event_ids: [id],
          first_seen: event.timestamp,
          last_seen: event.timestamp,
          created_at: now,
          acknowledged: false,
          acknowledged_at: null,
          acknowledged_by: null,
        },
      ];
    });
    created.push(...(await insertAlerts(db, alerts)));
  }
  for (const { compiled, matched } of thresholdMatches) {
    const threshold = compiled.rule.threshold;
    if (threshold)
      created.push(
        ...(await evaluateThreshold(
          db,
          { ...compiled, rule: { ...compiled.rule, threshold } },
          matched,
          now,
        )),
      );
  }
  return created;
}
