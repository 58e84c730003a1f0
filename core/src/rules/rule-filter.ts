import type { Filter } from 'mongodb';
import { escapeRegex } from '../events/escape-regex.js';
import { buildEventFilter } from '../events/query.js';
import type { EventDocument } from '../store/collections.js';
import type { RuleConditions } from './schemas.js';

/**
 * A condition value as an anchored, case-insensitive regex. Everything is escaped; only `*` (where the schema
 * allowed it, in operations) becomes `.*`, so no user text can act as regex syntax.
 */
export function valuePattern(value: string): RegExp {
  const body = value.split('*').map(escapeRegex).join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The MongoDB filter of a rule's conditions: the event search's own builder for `source`, `actor` and free text
 * (so "matches" means the same in the console and in rules), plus whole-value, case-insensitive patterns for
 * service, operation, result and target. `preview` counts this filter; `compileConditions` (match-rule.ts) is
 * its in-memory twin for ingested batches, and a test holds the two to the same answers.
 */
export function buildRuleFilter(conditions: RuleConditions): Filter<EventDocument> {
  const filter = buildEventFilter({
    ...(conditions.source ? { source: conditions.source } : {}),
    ...(conditions.actor ? { actor: conditions.actor } : {}),
    ...(conditions.text ? { search: `${conditions.text} ` } : {}),
  }) as Record<string, unknown>;
  const patterns = (list: readonly string[]) => ({ $in: list.map(valuePattern) });
  if (conditions.service) filter.service = patterns(conditions.service);
  if (conditions.operation) filter.operation = patterns(conditions.operation);
  if (conditions.result) filter.result = patterns(conditions.result);
  if (conditions.target) filter.target_displays = patterns(conditions.target);
  return filter;
}
