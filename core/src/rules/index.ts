export { createRules, type RulesApi, type AlertsApi } from './create-rules.js';
export {
  RuleInput,
  RuleConditions,
  RuleThreshold,
  Severity,
  SEVERITIES,
  RecordId,
  PreviewInput,
  ListAlertsInput,
  type RuleRequest,
  type ListAlertsRequest,
} from './schemas.js';
export type { ApiRule, ApiAlert } from './to-api.js';
export type { AlertPage } from './alerts.js';
export type { PreviewResult } from './preview.js';
export type { AlertDocument, RuleDocument } from './store.js';
export type { EvaluationResult } from './evaluate.js';
export type { RulesContext } from './context.js';
