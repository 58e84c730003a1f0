import type { CoreContext } from '../context.js';

/** What the rule and alert verbs need: the core context and the check a rule's webhook URL must pass. */
export interface RulesContext extends CoreContext {
  /** Throws (an `OutboundRefusedError`) when a webhook URL could never be called; see the outbound guard. */
  checkWebhookUrl: (url: string) => void;
}
