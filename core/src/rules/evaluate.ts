import type { Db } from 'mongodb';
import type { NormalizedEvent } from '../events/model.js';
import type { CompiledRule, CompiledThreshold, RuleSet } from './compiled-rules.js';
import { viewOf } from './match-rule.js';
import type { AlertDocument, NewAlert } from './store.js';
import { loadRecentMatches } from './read-matches.js';
import { burstWrites, groupByActor } from './thresholds.js';
import { alertsCollection } from './store.js';
import { writeAlerts } from './write-alerts.js';
import type { BurstWrite } from './write-alerts.js';

/** What a batch raised: the alerts created, and those of them whose rule has a notification webhook. */
export interface EvaluationResult {
  alerts: AlertDocument[];
  notify: AlertDocument[];
}

/** A batch's alerts, decided: plain ones to create, burst writes, and the ids of the rules that notify. */
export interface BatchPlan {
  plain: NewAlert[];
  bursts: BurstWrite[];
  notifying: ReadonlySet<string>;
}

/**
 * Evaluate a batch of newly stored events against compiled rules: each event is tested in memory against the
 * rules that may match it (see `indexRules`); a plain rule raises one alert per matching event, a threshold
 * rule hands its matches to `burstWrites`. Nothing is written: `storeBatch` does that.
 */
export async function planBatch(
  db: Db,
  { rules, candidates }: RuleSet,
  events: readonly NormalizedEvent[],
  now: Date,
): Promise<BatchPlan> {
  const plain: { rule: CompiledRule; event: NormalizedEvent }[] = [];
  const thresholdMatches: {
    compiled: CompiledRule;
    threshold: CompiledThreshold;
    matched: NormalizedEvent[];
  }[] = [];
  const byRule = new Map<CompiledRule, NormalizedEvent[]>();
  for (const event of events) {
    const view = viewOf(event);
    candidates(view, (compiled) => {
      if (!compiled.matches(view)) return;
      const list = byRule.get(compiled);
      if (list) list.push(event);
      else byRule.set(compiled, [event]);
    });
  }
  for (const compiled of rules) {
    const matched = byRule.get(compiled);
    if (!matched) continue;
    if (compiled.threshold) thresholdMatches.push({ compiled, threshold: compiled.threshold, matched });
    else for (const event of matched) plain.push({ rule: compiled, event });
  }
  const alerts = plain.map(({ rule: { rule }, event }): NewAlert => ({
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
  // Threshold rules may need stored matches first (rarely: see `RecentMatches`); then one write for all.
  await loadRecentMatches(db, rules, thresholds);
  const bursts = thresholds.flatMap(({ compiled, threshold, byActor }) =>
    burstWrites(compiled, threshold, byActor, now),
  );
  const notifying = new Set(rules.filter((r) => r.rule.webhook_url).map((r) => r.rule._id.toHexString()));
  return { plain: alerts, bursts, notifying };
}

/**
 * The stored alerts holding the plan's events, besides those in `created`: what an earlier attempt at the same
 * batch stored before its hook failed.
 */
async function storedBefore(db: Db, { plain, bursts }: BatchPlan, created: readonly AlertDocument[]) {
  const alerts = [...plain, ...bursts.map((burst) => burst.alert)];
  if (alerts.length === 0) return [];
  const ruleIds = [...new Map(alerts.map((a) => [a.rule_id.toHexString(), a.rule_id])).values()];
  const keys = [...new Set(alerts.flatMap((a) => a.event_keys))];
  const known = new Set(created.map((a) => a._id.toHexString()));
  const stored = await alertsCollection(db)
    .find({ rule_id: { $in: ruleIds }, event_keys: { $in: keys } })
    .toArray();
  return stored.filter((a) => !known.has(a._id.toHexString()));
}

/**
 * Store a planned batch's alerts in one write (`writeAlerts`); returns those created. With `replay` (the
 * ingest journal running the hook again of a batch whose hook failed), the alerts the batch's events already
 * have are returned as well: the failed attempt may have stored them without their reaching the outbox, and
 * SIEM delivery and rule webhooks are at least once (the alert id lets the receiver drop a repeat).
 */
export async function storeBatch(
  db: Db,
  plan: BatchPlan,
  options: { replay?: boolean } = {},
): Promise<EvaluationResult> {
  const created = await writeAlerts(db, plan.plain, plan.bursts);
  const alerts = options.replay ? [...created, ...(await storedBefore(db, plan, created))] : created;
  return { alerts, notify: alerts.filter((a) => plan.notifying.has(a.rule_id.toHexString())) };
}
