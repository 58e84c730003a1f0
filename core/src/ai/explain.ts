import { parseInput } from '../events/schemas.js';
import { checkCitations, sanitizeAnswer } from './answer-text.js';
import { extractChanges } from './changes.js';
import type { Change } from './changes.js';
import type { AiContext } from './context.js';
import { explainLines } from './event-data.js';
import { dataDigest } from './explain-cache.js';
import type { ExplainCache } from './explain-cache.js';
import { fallbackExplanation, fallbackWarning } from './fallback.js';
import { LlmUnavailableError } from './llm-host.js';
import { explainMessages } from './prompts.js';
import { ExplainInput } from './schemas.js';

/** The explanation of one event. */
export interface ExplainResult {
  event_id: string;
  /** Plain text in five sections: what happened, who, what changed, why it may matter, what to check next. */
  explanation: string;
  /** The changed properties (old → new) read from the record, for display next to the text. */
  changes: Change[];
  /** The model that wrote the explanation; null for a deterministic one. */
  model: string | null;
  /** True when the explanation came from the cache (no model call was made). */
  cached: boolean;
  /** Set when the explanation was built without a language model, saying why. */
  warning?: string;
}

const EXPLAIN_TOKENS = 800;

/**
 * Explain one event (by `_id` or source id): served from the cache when this model already explained the same
 * event data, otherwise written by the LLM and cached; without a usable LLM, a deterministic explanation with a
 * `warning` (never cached, so the model is asked again next time). Throws `NotFoundError` for an unknown id and
 * `ValidationError` for a bad one.
 */
export async function explain(
  ctx: AiContext & { cache: ExplainCache },
  request: unknown,
): Promise<ExplainResult> {
  const { id } = parseInput(ExplainInput, request);
  const event = await ctx.events.get(id);
  const changes = extractChanges(event.raw);
  const model = ctx.llm.model;
  const digest = dataDigest(explainLines(event));
  const base = { event_id: event._id, changes };
  if (ctx.config.ai.apiKey) {
    const hit = await ctx.cache.get(event._id, model, digest);
    if (hit) return { ...base, explanation: hit.text, model: hit.model, cached: true };
  }
  try {
    const reply = await ctx.llm.complete(explainMessages(event), { maxTokens: EXPLAIN_TOKENS });
    const text = checkCitations(sanitizeAnswer(reply.content), new Set([event._id])).text;
    await ctx.cache.put(event._id, model, digest, text);
    return { ...base, explanation: text, model, cached: false };
  } catch (error) {
    if (!(error instanceof LlmUnavailableError)) throw error;
    if (error.reason !== 'no_key')
      ctx.log.warn({ reason: error.reason, err: error.message }, 'explain: without the LLM');
    return {
      ...base,
      explanation: fallbackExplanation(event, changes),
      model: null,
      cached: false,
      warning: fallbackWarning(
        error.reason,
        error.message,
        'This explanation was built from the event record',
      ),
    };
  }
}
