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

/** The enabled rules, compiled; `invalidate` after an edit in this process. */
export interface CompiledRules {
  current(): Promise<CompiledRule[]>;
  invalidate(): void;
}

/**
 * The enabled rules, re-read at most every `refreshMs` (edits made on another replica apply within that
 * time; edits made here apply at once) and compiled only when a rule is new or changed.
 */
export function createCompiledRules(db: Db, refreshMs = 1000): CompiledRules {
  let cache = new Map<string, CompiledRule>();
  let readAt = Number.NEGATIVE_INFINITY;
  const read = async () => {
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
  };
  return {
    async current() {
      if (performance.now() - readAt >= refreshMs) {
        await read();
        readAt = performance.now();
      }
      return [...cache.values()];
    },
    invalidate() {
      readAt = Number.NEGATIVE_INFINITY;
    },
  };
}
