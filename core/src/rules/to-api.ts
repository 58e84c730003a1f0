import type { RuleConditions, RuleThreshold, Severity } from './schemas.js';
import type { AlertDocument, RuleDocument } from './store.js';

/** A rule as every surface returns it: string `_id`, ISO dates. */
export interface ApiRule {
  _id: string;
  name: string;
  enabled: boolean;
  severity: Severity;
  conditions: RuleConditions;
  threshold: RuleThreshold | null;
  webhook_url: string | null;
  created_at: string;
  updated_at: string;
}

/** An alert as every surface returns it: string ids, ISO dates. */
export interface ApiAlert {
  _id: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  actor: string | null;
  event_ids: string[];
  count: number;
  first_seen: string;
  last_seen: string;
  created_at: string;
  acknowledged: boolean;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export function toApiRule(doc: RuleDocument): ApiRule {
  return {
    _id: doc._id.toHexString(),
    name: doc.name,
    enabled: doc.enabled,
    severity: doc.severity,
    conditions: doc.conditions,
    threshold: doc.threshold ?? null,
    webhook_url: doc.webhook_url ?? null,
    created_at: doc.created_at.toISOString(),
    updated_at: doc.updated_at.toISOString(),
  };
}

/** An alert in API form; `idsByKey` maps its events' dedupe keys to their `_id` strings (see `apiAlerts`). */
export function toApiAlert(doc: AlertDocument, idsByKey: ReadonlyMap<string, string>): ApiAlert {
  return {
    _id: doc._id.toHexString(),
    rule_id: doc.rule_id.toHexString(),
    rule_name: doc.rule_name,
    severity: doc.severity,
    actor: doc.actor,
    event_ids: doc.event_keys.flatMap((key) => {
      const id = idsByKey.get(key);
      return id === undefined ? [] : [id];
    }),
    count: doc.event_keys.length,
    first_seen: doc.first_seen.toISOString(),
    last_seen: doc.last_seen.toISOString(),
    created_at: doc.created_at.toISOString(),
    acknowledged: doc.acknowledged,
    acknowledged_at: doc.acknowledged_at?.toISOString() ?? null,
    acknowledged_by: doc.acknowledged_by ?? null,
  };
}
