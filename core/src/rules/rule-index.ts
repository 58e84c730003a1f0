import type { CompiledRule } from './compiled-rules.js';
import type { EventView } from './match-rule.js';

/** Conditions a rule can be looked up by, most selective first: exact values (no wildcard) of one field. */
const ANCHORS = ['actor', 'operation', 'service', 'result', 'source'] as const;
type Anchor = (typeof ANCHORS)[number];

/** The value of an anchor field in an event, as `compileConditions` compares it. */
const valueOf: Record<Anchor, (view: EventView) => string> = {
  actor: (view) => view.actor,
  operation: (view) => view.operation,
  service: (view) => view.service,
  result: (view) => view.result,
  source: (view) => view.event.source,
};

/** Calls `visit` with every rule that may match the event (each at most once); the rest cannot. */
export type RuleCandidates = (view: EventView, visit: (rule: CompiledRule) => void) => void;

/**
 * Index rules by one of their exact-value conditions, so an event is tested only against the rules that name
 * one of its values (plus those with no such condition) rather than against every rule: dozens of rules cost
 * a few map lookups per event.
 */
export function indexRules(rules: readonly CompiledRule[]): RuleCandidates {
  const byAnchor = new Map<Anchor, Map<string, CompiledRule[]>>();
  const always: CompiledRule[] = [];
  for (const compiled of rules) {
    const { conditions } = compiled.rule;
    const anchor = ANCHORS.find((field) => conditions[field]?.every((value) => !value.includes('*')));
    if (!anchor) {
      always.push(compiled);
      continue;
    }
    let index = byAnchor.get(anchor);
    if (!index) {
      index = new Map();
      byAnchor.set(anchor, index);
    }
    const keys = conditions[anchor]!.map((value) => (anchor === 'source' ? value : value.toLowerCase()));
    for (const key of new Set(keys)) {
      const list = index.get(key);
      if (list) list.push(compiled);
      else index.set(key, [compiled]);
    }
  }
  const lookups = [...byAnchor].map(([anchor, index]) => ({ value: valueOf[anchor], index }));
  return (view, visit) => {
    for (const compiled of always) visit(compiled);
    for (const { value, index } of lookups) {
      const list = index.get(value(view));
      if (list) for (const compiled of list) visit(compiled);
    }
  };
}
