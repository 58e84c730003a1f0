import type { NormalizedEvent } from '../events/model.js';
import type { Logger } from '../logger.js';
import type { RulesApi } from '../rules/create-rules.js';
import type { EvaluationResult } from '../rules/evaluate.js';
import type { SiemApi } from './create-siem.js';

/**
 * What ingestion calls after each batch is stored, with the events that batch inserted (never re-seen ones):
 * evaluate the rules, then write the outbox. Neither may fail ingestion — the events are stored already, and a
 * failed batch would be re-fetched as "seen", so a failure here is logged rather than thrown.
 */
export function createIngestHook(deps: {
  alertsEnabled: boolean;
  rules: RulesApi;
  siem: SiemApi;
  log: Logger;
}): (events: readonly NormalizedEvent[]) => Promise<void> {
  return async (events) => {
    if (events.length === 0) return;
    let raised: EvaluationResult = { alerts: [], notify: [] };
    if (deps.alertsEnabled) {
      try {
        raised = await deps.rules.evaluate(events);
      } catch (error) {
        deps.log.error({ err: error, events: events.length }, 'rule evaluation failed for a batch');
      }
    }
    try {
      await deps.siem.enqueue(events, raised);
    } catch (error) {
      deps.log.error({ err: error, events: events.length }, 'writing the outbox failed for a batch');
    }
  };
}
