import type { Db, Filter } from 'mongodb';
import type { EventDocument } from '../store/collections.js';
import { compileFilter } from './compile-filter.js';
import type { Matcher } from './compile-filter.js';
import { buildRuleFilter } from './rule-filter.js';
import { rulesCollection } from './store.js';
import type { RuleDocument } from './store.js';

/** An enabled rule ready to evaluate: its MongoDB filter and the same filter as an in-memory predicate. */
export interface CompiledRule {
  rule: RuleDocument;
  filter: Filter<EventDocument>;
  matches: Matcher;
}

/**
 * The enabled rules, read once per batch (so every replica sees edits at its next batch) and compiled only
 * when a rule is new or changed since the last batch.
 */
export function createCompiledRules(db: Db): () => Promise<CompiledRule[]> {
  let cache = new Map<string, CompiledRule>();
  return async () => {
    const rules = await rulesCollection(db).find({ enabled: true }).toArray();
    const next = new Map<string, CompiledRule>();
    for (const rule of rules) {
      const key = `${rule._id.toHexString()}:${rule.updated_at.getTime()}`;
      let compiled = cache.get(key);
      if (!compiled) {
        const filter = buildRuleFilter(rule.conditions);
        compiled = { rule, filter, matches: compileFilter(filter) };
      }
      next.set(key, compiled);
    }
    cache = next;
    return [...next.values()];
  };
}
