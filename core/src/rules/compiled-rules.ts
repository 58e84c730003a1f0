import type { Db, Filter } from 'mongodb';
import type { EventDocument } from '../store/collections.js';
import { compileConditions } from './match-rule.js';
import type { EventView } from './match-rule.js';
import { createRecentMatches } from './recent-matches.js';
import type { RecentMatches } from './recent-matches.js';
import { buildRuleFilter } from './rule-filter.js';
import { rulesCollection } from './store.js';
import type { RuleDocument } from './store.js';

/** An enabled rule ready to evaluate: its MongoDB filter and the same conditions as an in-memory predicate. */
export interface CompiledRule {
  rule: RuleDocument;
  filter: Filter<EventDocument>;
  matches: (view: EventView) => boolean;
  /** Threshold rules: recent matches per actor (reset when the rule changes). */
  recent: RecentMatches;
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
        compiled = {
          rule,
          filter,
          matches: compileConditions(rule.conditions),
          recent: createRecentMatches(),
        };
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
