import type { NormalizedEvent } from '../events/model.js';
import { acknowledgeAlert, listAlerts } from './alerts.js';
import type { AlertPage } from './alerts.js';
import { createCompiledRules } from './compiled-rules.js';
import { createKeyedOrder } from './keyed-order.js';
import type { RulesContext } from './context.js';
import { planBatch, storeBatch } from './evaluate.js';
import type { EvaluationResult } from './evaluate.js';
import { createRule, deleteRule, listRules, updateRule } from './manage-rules.js';
import { previewRule } from './preview.js';
import type { PreviewResult } from './preview.js';
import type { ListAlertsRequest, RuleRequest } from './schemas.js';
import { ensureAlertIndexes } from './store.js';
import type { ApiAlert, ApiRule } from './to-api.js';

/**
 * `core.rules`. Every verb validates its input with `./schemas.ts` (a `ValidationError` naming the field) and
 * returns rules in their API form; unknown ids are `NotFoundError`.
 */
export interface RulesApi {
  /** Every rule, sorted by name. */
  list(): Promise<ApiRule[]>;
  /** Create a rule; a webhook URL the outbound guard would refuse is a `ValidationError` on `webhook_url`. */
  create(rule: RuleRequest): Promise<ApiRule>;
  /** Replace a rule. */
  update(id: string, rule: RuleRequest): Promise<ApiRule>;
  /** Delete a rule (its alerts stay). */
  delete(id: string): Promise<{ deleted: true; id: string }>;
  /** How many stored events of the last `days` (default 30) the rule's conditions match. */
  preview(rule: RuleRequest, options?: { days?: number }): Promise<PreviewResult>;
  /**
   * Evaluate newly stored events (never re-seen ones: the ingestion hook passes inserts only) against the
   * enabled rules and store the alerts; returns those created. Batches are evaluated one at a time, in order,
   * and each is written while the next is evaluated; the writes of one threshold rule's bursts by one actor go
   * one after another, so a burst spread over batches extends the alert its first batch starts. With `replay`,
   * alerts the events already had are returned too (see `storeBatch`).
   */
  evaluate(events: readonly NormalizedEvent[], options?: { replay?: boolean }): Promise<EvaluationResult>;
}

/** `core.alerts`. */
export interface AlertsApi {
  /** Alerts newest first, filtered and paged (see `ListAlertsInput`). */
  list(input?: ListAlertsRequest): Promise<AlertPage>;
  /** Acknowledge an alert on behalf of `by` (the signed-in user); idempotent. */
  acknowledge(id: string, by: string): Promise<ApiAlert>;
}

/** Build `core.rules` and `core.alerts`; ensures the alert indexes (idempotent). */
export async function createRules(ctx: RulesContext): Promise<{ rules: RulesApi; alerts: AlertsApi }> {
  await ensureAlertIndexes(ctx.db);
  const compiledRules = createCompiledRules(ctx.db);
  // Batches are planned one at a time, in order; a batch's burst writes go after the earlier ones of the same
  // rule and actor, which may create the alert they extend (see `burstWrites`).
  let planning: Promise<unknown> = Promise.resolve();
  const burstOrder = createKeyedOrder();
  const edited = async <T>(change: Promise<T>): Promise<T> => {
    try {
      return await change;
    } finally {
      compiledRules.invalidate();
    }
  };
  // The stored result is wrapped so that awaiting the plan does not also await the write.
  const evaluate = async (
    events: readonly NormalizedEvent[],
    options: { replay?: boolean },
  ): Promise<{ stored: Promise<EvaluationResult> }> => {
    const set = await compiledRules.current();
    if (set.rules.length === 0 || events.length === 0)
      return { stored: Promise.resolve({ alerts: [], notify: [] }) };
    const plan = await planBatch(ctx.db, set, events, ctx.clock());
    const keys = plan.bursts.map(({ alert }) => `${alert.rule_id.toHexString()} ${alert.actor}`);
    return { stored: burstOrder.run(keys, () => storeBatch(ctx.db, plan, options)) };
  };
  return {
    rules: {
      list: () => listRules(ctx),
      create: (rule) => edited(createRule(ctx, rule)),
      update: (id, rule) => edited(updateRule(ctx, id, rule)),
      delete: (id) => edited(deleteRule(ctx, id)),
      preview: (rule, options) => previewRule(ctx, { rule, ...options }),
      evaluate: (events, options = {}) => {
        const run = planning.then(() => evaluate(events, options));
        planning = run.catch(() => undefined);
        return run.then(({ stored }) => stored);
      },
    },
    alerts: {
      list: (input) => listAlerts(ctx, input),
      acknowledge: (id, by) => acknowledgeAlert(ctx, id, by),
    },
  };
}
