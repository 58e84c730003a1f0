import type { NormalizedEvent } from '../events/model.js';
import { acknowledgeAlert, listAlerts } from './alerts.js';
import type { AlertPage } from './alerts.js';
import { createCompiledRules } from './compiled-rules.js';
import type { RulesContext } from './context.js';
import { evaluateBatch } from './evaluate.js';
import type { BatchEvaluation, EvaluationResult } from './evaluate.js';
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
   * enabled rules and store the alerts; returns those created. Batches are evaluated one at a time, and a
   * batch's burst alerts are stored before the next is evaluated, so two batches of one burst cannot both start
   * its alert; plain alerts are stored while the next batch is evaluated.
   */
  evaluate(events: readonly NormalizedEvent[]): Promise<EvaluationResult>;
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
  let queue: Promise<unknown> = Promise.resolve();
  const edited = async <T>(change: Promise<T>): Promise<T> => {
    try {
      return await change;
    } finally {
      compiledRules.invalidate();
    }
  };
  const evaluate = async (events: readonly NormalizedEvent[]): Promise<BatchEvaluation> => {
    const set = await compiledRules.current();
    if (set.rules.length === 0 || events.length === 0) {
      const none = Promise.resolve({ alerts: [], notify: [] });
      return { result: none, ready: none };
    }
    return evaluateBatch(ctx.db, set, events, ctx.clock());
  };
  return {
    rules: {
      list: () => listRules(ctx),
      create: (rule) => edited(createRule(ctx, rule)),
      update: (id, rule) => edited(updateRule(ctx, id, rule)),
      delete: (id) => edited(deleteRule(ctx, id)),
      preview: (rule, options) => previewRule(ctx, { rule, ...options }),
      evaluate: (events) => {
        const run = queue.then(() => evaluate(events));
        queue = run.then((evaluation) => evaluation.ready).catch(() => undefined);
        return run.then((evaluation) => evaluation.result);
      },
    },
    alerts: {
      list: (input) => listAlerts(ctx, input),
      acknowledge: (id, by) => acknowledgeAlert(ctx, id, by),
    },
  };
}
