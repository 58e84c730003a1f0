import { parseInput } from '../events/schemas.js';
import { eventsCollection } from '../store/collections.js';
import type { RulesContext } from './context.js';
import { buildRuleFilter } from './rule-filter.js';
import { PreviewInput } from './schemas.js';

const DAY_MS = 86_400_000;

/** How many stored events a rule would have matched. */
export interface PreviewResult {
  count: number;
  days: number;
  since: string;
}

/**
 * Count the stored events of the last `days` the rule's conditions match (its threshold aside: this is what
 * the console shows before saving). The count uses the very filter live evaluation compiles.
 */
export async function previewRule(ctx: RulesContext, input: unknown): Promise<PreviewResult> {
  const { rule, days } = parseInput(PreviewInput, input);
  const since = new Date(ctx.clock().getTime() - days * DAY_MS);
  const filter = { ...buildRuleFilter(rule.conditions), timestamp: { $gte: since } };
  const count = await eventsCollection(ctx.db).countDocuments(filter);
  return { count, days, since: since.toISOString() };
}
