import type { ApiEvent } from '../events/to-api.js';
import { parseInput } from '../events/schemas.js';
import { checkCitations, sanitizeAnswer } from './answer-text.js';
import type { AiContext } from './context.js';
import { fallbackAnswer, fallbackWarning } from './fallback.js';
import { LlmUnavailableError } from './llm-host.js';
import { filtersAsQuery, parseQuestion, planQuery } from './plan-query.js';
import type { Interpretation } from './plan-query.js';
import { askMessages } from './prompts.js';
import { AskInput } from './schemas.js';

/** The answer to a question, grounded in the events of the match. */
export interface AskResult {
  /** Plain text; cites events as `[event:<_id>]`, each one of `events`. */
  answer: string;
  /** The retrieved events, most recent first (at most `LLM_MAX_EVENTS`). */
  events: ApiEvent[];
  /** The filters used, as `GET /api/events` takes them, so the user can rerun them. */
  query: Record<string, string | string[]>;
  /** What was read from the question and what came from the caller's filters. */
  interpretation: Interpretation;
  /** How many events match the filters in all. */
  total_matched: number;
  /** True when more events matched than were retrieved. */
  truncated: boolean;
  /** The model that wrote the answer; null for a deterministic answer. */
  model: string | null;
  /** Ids the answer cites, all in `events`. */
  citations: string[];
  /** Citations of ids outside the retrieved events, removed from the answer. */
  dropped_citations: number;
  /** Set when the answer was built without a language model, saying why. */
  warning?: string;
}

const ANSWER_TOKENS = 700;
const SUMMARY_TOP = 5;
const DEFAULT_MAX_EVENTS = 50;

/**
 * Answer a question about the audit events: parse it deterministically (time range, entities, hints), merge
 * the caller's filters (theirs win), retrieve at most `LLM_MAX_EVENTS` events (most recent first) and the
 * counts of the whole match through the console's own queries, and ask the LLM for an answer citing events.
 * Citations outside the retrieved set are dropped; when the LLM is not configured, not allowed, times out or
 * fails, the answer is built from the counts and carries a `warning` — never an error. Throws
 * `ValidationError` for bad input.
 */
export async function ask(ctx: AiContext, request: unknown): Promise<AskResult> {
  const input = parseInput(AskInput, request);
  const now = ctx.clock();
  const parsed = parseQuestion(input.question, now, await ctx.vocabulary());
  const { filters, interpretation } = planQuery(parsed, input.filters ?? {}, now);
  const { start, end, ...rest } = filters;
  const [page, summary] = await Promise.all([
    ctx.events.search({ ...filters, page_size: ctx.config.ai.maxEvents ?? DEFAULT_MAX_EVENTS }),
    ctx.events.summary({ start, end, filters: rest, top: SUMMARY_TOP }),
  ]);
  const events = page.items;
  const base = {
    events,
    query: filtersAsQuery(filters),
    interpretation,
    total_matched: summary.total,
    truncated: summary.total > events.length,
  };
  const allowed = new Set(events.map((event) => event._id));
  try {
    if (events.length === 0 && summary.total === 0) {
      // Nothing to ground an answer in: the deterministic answer says so without spending a model call.
      const checked = checkCitations(fallbackAnswer({ interpretation, summary, events }), allowed);
      return { ...base, answer: checked.text, model: null, citations: checked.cited, dropped_citations: 0 };
    }
    const reply = await ctx.llm.complete(
      askMessages({ question: input.question, interpretation, summary, events }),
      {
        maxTokens: ANSWER_TOKENS,
      },
    );
    const checked = checkCitations(sanitizeAnswer(reply.content), allowed);
    if (checked.dropped > 0) {
      ctx.log.warn({ dropped: checked.dropped }, 'ask: the model cited events outside the retrieved set');
    }
    return {
      ...base,
      answer: checked.text,
      model: reply.model,
      citations: checked.cited,
      dropped_citations: checked.dropped,
    };
  } catch (error) {
    if (!(error instanceof LlmUnavailableError)) throw error;
    if (error.reason !== 'no_key')
      ctx.log.warn({ reason: error.reason, err: error.message }, 'ask: answering without the LLM');
    const checked = checkCitations(fallbackAnswer({ interpretation, summary, events }), allowed);
    return {
      ...base,
      answer: checked.text,
      model: null,
      citations: checked.cited,
      dropped_citations: 0,
      warning: fallbackWarning(error.reason, error.message),
    };
  }
}
