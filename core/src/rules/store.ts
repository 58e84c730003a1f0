import type { Collection, Db, Document, ObjectId } from 'mongodb';
import { COLLECTIONS } from '../store/collections.js';
import { ensureIndexes } from '../store/indexes.js';
import type { IndexSpec } from '../store/indexes.js';
import type { RuleConditions, RuleThreshold, Severity } from './schemas.js';

/** A rule as stored in `rules`. */
export interface RuleDocument {
  _id: ObjectId;
  name: string;
  enabled: boolean;
  severity: Severity;
  conditions: RuleConditions;
  threshold: RuleThreshold | null;
  webhook_url: string | null;
  created_at: Date;
  updated_at: Date;
}

/** An alert as stored in `alerts`: one per (rule, event), or one per burst of a threshold rule. */
export interface AlertDocument {
  _id: ObjectId;
  rule_id: ObjectId;
  rule_name: string;
  severity: Severity;
  /** What makes the alert unique for its rule: the event's dedupe key, or the burst's first crossing event. */
  key: string;
  actor: string | null;
  /** Dedupe keys of the events behind the alert (known at ingestion; the API shows their `_id`s). */
  event_keys: string[];
  first_seen: Date;
  last_seen: Date;
  created_at: Date;
  acknowledged: boolean;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

/** An alert about to be stored: the server gives its `_id`. */
export type NewAlert = Omit<AlertDocument, '_id'>;

export function rulesCollection(db: Db): Collection<RuleDocument> {
  return db.collection<RuleDocument>(COLLECTIONS.rules);
}

export function alertsCollection(db: Db): Collection<AlertDocument> {
  return db.collection<AlertDocument>(COLLECTIONS.alerts);
}

/** The alert list is newest first by `_id`; each filter gets its own prefix so lists stay index-served. */
const ALERT_INDEXES: IndexSpec[] = [
  // Evaluating the same event twice (a retried batch, two replicas) can never raise a second alert.
  { name: 'rule_key_unique', key: { rule_id: 1, key: 1 }, unique: true },
  { name: 'rule_id', key: { rule_id: 1, _id: -1 } },
  { name: 'severity_id', key: { severity: 1, _id: -1 } },
  { name: 'acknowledged_id', key: { acknowledged: 1, _id: -1 } },
  { name: 'actor_id', key: { actor: 1, _id: -1 } },
  // Threshold bursts: the open alert of a rule and actor.
  { name: 'rule_actor_last_seen', key: { rule_id: 1, actor: 1, last_seen: -1 } },
];

/** Create the indexes of `alerts` (idempotent). */
export async function ensureAlertIndexes(db: Db): Promise<void> {
  await ensureIndexes(alertsCollection(db) as unknown as Collection<Document>, ALERT_INDEXES);
}
