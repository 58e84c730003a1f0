import type { Db, Filter } from 'mongodb';
import type { EventDocument } from '../store/collections.js';
import { compileConditions } from './match-rule.js';
import type { EventView } from './match-rule.js';
import { createRecentMatches } from './recent-matches.js';
import type { RecentMatches } from './recent-matches.js';
import { buildRuleFilter } from './rule-filter.js';
import { indexRules } from './rule-index.js';
import type { RuleCandidates } from './rule-index.js';
import { rulesCollection } from './store.js';
import type { RuleDocument } from './store.js';

/** An enabled rule ready to evaluate: its MongoDB filter and the same conditions as an in-memory predicate. */
export interface CompiledRule {
  rule: RuleDocument;
  filter: Filter<EventDocument>;
  matches: (view: EventView) => boolean;
  /** Threshold rules only: the threshold, and the rule's recent matches per actor (reset when it changes). */
  threshold: CompiledThreshold | null;
}

export interface CompiledThreshold {
  count: number;
  windowMs: number;
  recent: RecentMatches;
}

/** The enabled rules, compiled, and the index that finds the ones an event may match. */
export interface RuleSet {
  rules: CompiledRule[];
  candidates: RuleCandidates;
}

/** The enabled rules, compiled; `invalidate` after an edit in this process. */
export interface CompiledRules {
  current(): Promise<RuleSet>;
  invalidate(): void;
}

/**
 * The enabled rules, compiled only when a rule is new or changed. An edit made here (`invalidate`) applies to
 * the next call, which reads the rules again; otherwise the rules are re-read every `refreshMs` beside the
 * batch that finds them due, for the next one, so edits made on another replica apply within `refreshMs` and
 * a batch, and no batch waits for that read.
 */
export function createCompiledRules(db: Db, refreshMs = 1000): CompiledRules {
  let cache = new Map<string, CompiledRule>();
  let set: RuleSet = { rules: [], candidates: indexRules([]) };
  // Reads are numbered; a read only replaces what a later-started read left (two may overlap).
  let started = 0;
  let applied = 0;
  let appliedAt = Number.NEGATIVE_INFINITY;
  // Reads numbered above this one started after the last edit made here.
  let editedBefore = 0;
  let refreshing: Promise<void> | undefined;
  const read = async () => {
    const seq = (started += 1);
    const at = performance.now();
    const rules = await rulesCollection(db).find({ enabled: true }).toArray();
    if (seq < applied) return;
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
          threshold: rule.threshold
            ? {
                count: rule.threshold.count,
                windowMs: rule.threshold.window_minutes * 60_000,
                recent: createRecentMatches(),
              }
            : null,
        };
      }
      next.set(key, compiled);
    }
    cache = next;
    const compiled = [...next.values()];
    set = { rules: compiled, candidates: indexRules(compiled) };
    applied = seq;
    appliedAt = at;
  };
  return {
    async current() {
      if (applied <= editedBefore) await read();
      else if (!refreshing && performance.now() - appliedAt >= refreshMs) {
        // A failed refresh leaves the rules as they were; the next batch tries again.
        refreshing = read()
          .catch(() => undefined)
          .finally(() => {
            refreshing = undefined;
          });
      }
      return set;
    },
    invalidate() {
      editedBefore = started;
    },
  };
}
