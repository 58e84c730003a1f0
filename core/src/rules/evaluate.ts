import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import type { CompiledRule, CompiledThreshold } from './compiled-rules.js';
import { insertAlerts } from './insert-alerts.js';
import { viewOf } from './match-rule.js';
import type { AlertDocument } from './store.js';
import { loadRecentMatches } from './read-matches.js';
import { evaluateThreshold, groupByActor } from './thresholds.js';

/** What a batch raised: the alerts created, and those of them whose rule has a notification webhook. */
export interface EvaluationResult {
  alerts: AlertDocument[];
  notify: AlertDocument[];
}

/**
 * Evaluate a batch of newly stored events against compiled rules: each event is tested in memory against each
 * rule; a plain rule raises one alert per matching event, a threshold rule hands its matches to
 * `evaluateThreshold`.
 */
export async function evaluateBatch(
  db: Db,
  rules: readonly CompiledRule[],
  events: readonly NormalizedEvent[],
  now: Date,
): Promise<EvaluationResult> {
  const plain: { rule: CompiledRule; event: NormalizedEvent }[] = [];
  const thresholdMatches: {
    compiled: CompiledRule;
    threshold: CompiledThreshold;
    matched: NormalizedEvent[];
  }[] = [];
  const views = events.map(viewOf);
  for (const compiled of rules) {
    const matched: NormalizedEvent[] = [];
    for (const view of views) if (compiled.matches(view)) matched.push(view.event);
    if (matched.length === 0) continue;
    if (compiled.threshold) thresholdMatches.push({ compiled, threshold: compiled.threshold, matched });
    else for (const event of matched) plain.push({ rule: compiled, event });
  }
  const alerts = plain.map(({ rule: { rule }, event }): AlertDocument => ({
    _id: new ObjectId(),
    rule_id: rule._id,
    rule_name: rule.name,
    severity: rule.severity,
    key: event.dedupe_key,
    actor: event.actor_display,
    event_keys: [event.dedupe_key],
    first_seen: event.timestamp,
    last_seen: event.timestamp,
    created_at: now,
    acknowledged: false,
    acknowledged_at: null,
    acknowledged_by: null,
  }));
  const thresholds = thresholdMatches.map(({ compiled, threshold, matched }) => {
    const byActor = groupByActor(matched);
    return { compiled, threshold, byActor, from: threshold.recent.readFrom(byActor, threshold.windowMs) };
  });
  const raiseBursts = async () => {
    await loadRecentMatches(db, rules, thresholds);
    return Promise.all(
      thresholds.map(({ compiled, threshold, byActor }) =>
        evaluateThreshold(db, compiled, threshold, byActor, now),
      ),
    );
  };
  // Plain alerts and each threshold rule touch different documents: their round trips overlap.
  const [plainCreated, burstsCreated] = await Promise.all([insertAlerts(db, alerts), raiseBursts()]);
  const created = [...plainCreated, ...burstsCreated.flat()];
  const notifying = new Set(rules.filter((r) => r.rule.webhook_url).map((r) => r.rule._id.toHexString()));
  return { alerts: created, notify: created.filter((a) => notifying.has(a.rule_id.toHexString())) };
}
