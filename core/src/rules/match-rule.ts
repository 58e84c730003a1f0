import type { NormalizedEvent } from '../events/model.js';
import { buildTextFilter } from '../events/text-query.js';
import { compileFilter } from './compile-filter.js';
import { valuePattern } from './rule-filter.js';
import type { RuleConditions } from './schemas.js';

/** An event with the fields rules compare, lower-cased once per batch rather than once per rule. */
export interface EventView {
  event: NormalizedEvent;
  service: string;
  operation: string;
  result: string;
  actor: string;
  targets: string[];
}

export function viewOf(event: NormalizedEvent): EventView {
  return {
    event,
    service: event.service.toLowerCase(),
    operation: event.operation.toLowerCase(),
    result: event.result.toLowerCase(),
    actor: event.actor_display.toLowerCase(),
    targets: event.target_displays.map((t) => t.toLowerCase()),
  };
}

/**
 * Whole-value, case-insensitive matching of one condition's values: exact values by set lookup, wildcard
 * values (operation only) by the same anchored pattern the preview query uses.
 */
function valuesTest(values: readonly string[]): (value: string, original: string) => boolean {
  const exact = new Set(values.filter((v) => !v.includes('*')).map((v) => v.toLowerCase()));
  const patterns = values.filter((v) => v.includes('*')).map(valuePattern);
  if (patterns.length === 0) return (value) => exact.has(value);
  return (value, original) => exact.has(value) || patterns.some((p) => p.test(original));
}

/**
 * A rule's conditions as an in-memory predicate with the meaning of `buildRuleFilter` (the preview query):
 * the cheap set lookups first, free text (the event search's own clauses, compiled) last. Thousands of
 * events a second times dozens of rules must cost little, so nothing here allocates per event.
 */
export function compileConditions(conditions: RuleConditions): (view: EventView) => boolean {
  const tests: ((view: EventView) => boolean)[] = [];
  if (conditions.source) {
    const sources = new Set<string>(conditions.source);
    tests.push((view) => sources.has(view.event.source));
  }
  const field = (
    values: readonly string[] | undefined,
    lower: (view: EventView) => string,
    original: (view: EventView) => string,
  ) => {
    if (!values) return;
    const test = valuesTest(values);
    tests.push((view) => test(lower(view), original(view)));
  };
  field(
    conditions.service,
    (v) => v.service,
    (v) => v.event.service,
  );
  field(
    conditions.result,
    (v) => v.result,
    (v) => v.event.result,
  );
  field(
    conditions.operation,
    (v) => v.operation,
    (v) => v.event.operation,
  );
  field(
    conditions.actor,
    (v) => v.actor,
    (v) => v.event.actor_display,
  );
  if (conditions.target) {
    const test = valuesTest(conditions.target);
    tests.push((view) => view.targets.some((t, i) => test(t, view.event.target_displays[i] ?? t)));
  }
  if (conditions.text) {
    const text = compileFilter({ $and: buildTextFilter(`${conditions.text} `) });
    tests.push((view) => text(view.event));
  }
  return (view) => tests.every((test) => test(view));
}
