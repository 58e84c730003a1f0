import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError, AzureOpenAI } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Config } from '../config.js';
import type { OutboundDeps, OutboundGuard } from '../outbound/outbound-guard.js';
import {
  checkLlmDestination,
  createLlmGuard,
  DEFAULT_TIMEOUT_SECONDS,
  guardedFetch,
  LlmUnavailableError,
} from './llm-host.js';

type AiConfig = Config['ai'];

/** A chat message AOC sends: system rules and user data only (the model is never offered tools). */
export interface LlmMessage {
  role: 'system' | 'user';
  content: string;
}

/** The one LLM call AOC makes. */
export interface LlmClient {
  /** The configured model (the deployment name on Azure). */
  readonly model: string;
  /**
   * One chat completion, bounded by `LLM_TIMEOUT_SECONDS` in total (retry included). Throws
   * `LlmUnavailableError` with the reason when there is no key, the outbound guard refused the destination
   * (host, scheme or resolved address), the time ran out, or the provider failed or answered nothing.
   */
  complete(
    messages: LlmMessage[],
    options: { maxTokens: number },
  ): Promise<{ content: string; model: string }>;
}

// One retry for a transient 429/5xx; the overall deadline below still bounds the whole call.
const MAX_RETRIES = 1;

function createSdkClient(ai: AiConfig, apiKey: string, guard: OutboundGuard): OpenAI {
  const common = {
    apiKey,
    timeout: timeoutSeconds(ai) * 1000,
    maxRetries: MAX_RETRIES,
    fetch: guardedFetch(guard, ai),
    // Explicit nulls: the SDK would otherwise read OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment.
    organization: null,
    project: null,
  };
  if (ai.apiVersion) {
    // Azure OpenAI: {endpoint}/openai/deployments/{LLM_MODEL}/chat/completions?api-version=…, `api-key` header.
    const endpoint = ai.baseUrl.replace(/\/openai(?:\/.*)?$/, '');
    return new AzureOpenAI({ ...common, endpoint, apiVersion: ai.apiVersion, deployment: ai.model });
  }
  return new OpenAI({ ...common, baseURL: ai.baseUrl });
}

function timeoutSeconds(ai: AiConfig): number {
  return ai.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
}

function failure(error: unknown, timeoutSeconds: number): LlmUnavailableError {
  if (error instanceof LlmUnavailableError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof LlmUnavailableError) return cause;
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
    return new LlmUnavailableError(
      'timeout',
      `the language model did not answer within ${timeoutSeconds} s`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof APIError && error.status !== undefined) {
    return new LlmUnavailableError('failed', `the language model failed (HTTP ${error.status})`, {
      cause: error,
    });
  }
  return new LlmUnavailableError('failed', 'the language model could not be reached', { cause: error });
}

/**
 * The work's result, or a timeout failure as soon as the deadline passes. The SDK stops a request when its
 * signal aborts, but not its wait before a retry (a 429 with `Retry-After: 30` would hold the caller 30 s).
 */
function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignal, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(new LlmUnavailableError('timeout', `the language model did not answer within ${seconds} s`));
    if (deadline.aborted) onAbort();
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort));
  });
}

/**
 * The LLM client for `config.ai`: OpenAI or any OpenAI-compatible `LLM_BASE_URL`, or Azure OpenAI / Foundry when
 * `LLM_API_VERSION` is set (deployment = `LLM_MODEL`). Every request goes through the outbound guard
 * (`createLlmGuard`); `outbound` is the tests' loopback setting.
 */
export function createLlmClient(ai: AiConfig, outbound: OutboundDeps = {}): LlmClient {
  const apiKey = ai.apiKey;
  const guard = createLlmGuard(ai, outbound);
  const sdk = apiKey ? createSdkClient(ai, apiKey, guard) : undefined;
  return {
    model: ai.model,
    async complete(messages, options) {
      if (!sdk) throw new LlmUnavailableError('no_key', 'LLM_API_KEY is not set');
      const params: ChatCompletionMessageParam[] = messages;
      try {
        const deadline = AbortSignal.timeout(timeoutSeconds(ai) * 1000);
        const call = async () => {
          await checkLlmDestination(guard, ai, ai.baseUrl);
          return sdk.chat.completions.create(
            { model: ai.model, messages: params, max_tokens: options.maxTokens },
            { signal: deadline },
          );
        };
        const completion = await beforeDeadline(call(), deadline, timeoutSeconds(ai));
        const content = completion.choices[0]?.message.content?.trim();
        if (!content) throw new LlmUnavailableError('failed', 'the language model returned an empty answer');
        return { content, model: completion.model || ai.model };
      } catch (error) {
        throw failure(error, timeoutSeconds(ai));
      }
    },
  };
}
