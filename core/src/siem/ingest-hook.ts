import type { Logger } from '../logger.js';
import type { RulesApi } from '../rules/create-rules.js';
import type { EvaluationResult } from '../rules/evaluate.js';
import type { IngestHook } from '../ingest/hook-journal.js';
import type { SiemApi } from './create-siem.js';

/**
 * What ingestion calls after each batch is stored, with the events that batch inserted (never re-seen ones):
 * evaluate the rules, then write the outbox. A failure is logged (naming the step) and rethrown, which fails
 * the batch writer's `flush` (the watermark stays) while the ingest journal keeps the batch, so its hook is
 * replayed later (ingest/hook-journal.ts). A replay may repeat a batch whose writes partly landed: alerts are
 * unique per (rule, event) and bursts only gain events they lack, the alerts the first attempt stored are
 * queued again (`replay`), and outbox entries are delivered at least once.
 */
export function createIngestHook(deps: {
  alertsEnabled: boolean;
  rules: RulesApi;
  siem: SiemApi;
  log: Logger;
}): IngestHook {
  const step = async <T>(name: string, events: number, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      deps.log.error({ err: error, events }, `${name} failed for a batch; it stays journaled for replay`);
      throw error;
    }
  };
  return async (events, options = {}) => {
    if (events.length === 0) return;
    let raised: EvaluationResult = { alerts: [], notify: [] };
    if (deps.alertsEnabled)
      raised = await step('rule evaluation', events.length, () => deps.rules.evaluate(events, options));
    await step('writing the outbox', events.length, () => deps.siem.enqueue(events, raised));
  };
}
