import type { CoreContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import type { EventsApi } from '../events/create-events.js';
import type { OutboundDeps } from '../outbound/outbound-guard.js';
import { ask } from './ask.js';
import type { AskResult } from './ask.js';
import type { AiContext } from './context.js';
import { explain } from './explain.js';
import type { ExplainResult } from './explain.js';
import { createExplainCache } from './explain-cache.js';
import { createLlmClient } from './llm-client.js';
import { createVocabulary } from './vocabulary.js';

/**
 * `core.ai`: natural-language questions and event explanations. Always present on the core; when
 * `AI_FEATURES_ENABLED=false`, `enabled` is false and both verbs reject with `NotFoundError` (404 on every
 * surface) before reading input, the database or the network — so a surface that forgets to hide them still
 * exposes nothing. Surfaces that list features (MCP tools, `GET /api/config/features`, the console) read `enabled`.
 */
export interface AiApi {
  readonly enabled: boolean;
  /** Answer a question (input: `AskInput`); see `ask`. Never fails because of the LLM: it falls back with a `warning`. */
  ask(input: unknown): Promise<AskResult>;
  /** Explain one event by id; see `explain`. Unknown id → `NotFoundError`. */
  explain(id: string): Promise<ExplainResult>;
}

function disabled(): Promise<never> {
  return Promise.reject(
    new NotFoundError('AI features are disabled (AI_FEATURES_ENABLED=false)', { details: { feature: 'ai' } }),
  );
}

/**
 * Build `core.ai` over the core context and the event queries. No side effects: the LLM client is created
 * without a network call and the cache's index is made on first use. The startup check of the LLM host is
 * `assertLlmUrlAllowed`, which `createCore` runs; every call goes through the outbound guard again
 * (`outbound`: the tests' loopback setting).
 */
export function createAi(
  ctx: CoreContext & {
    events: AiContext['events'] & Pick<EventsApi, 'filterOptions'>;
    outbound?: OutboundDeps;
  },
): AiApi {
  if (!ctx.config.ai.enabled) return { enabled: false, ask: disabled, explain: disabled };
  const aiContext: AiContext = {
    config: ctx.config,
    log: ctx.log,
    clock: ctx.clock,
    db: ctx.db,
    events: ctx.events,
    llm: createLlmClient(ctx.config.ai, ctx.outbound),
    vocabulary: createVocabulary({ db: ctx.db, clock: ctx.clock, events: ctx.events }),
  };
  const cache = createExplainCache(ctx);
  return {
    enabled: true,
    ask: (input) => ask(aiContext, input),
    explain: (id) => explain({ ...aiContext, cache }, { id }),
  };
}
