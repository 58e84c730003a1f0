import type { Config } from '../config.js';
import { AppError, ConfigError } from '../errors.js';
import { hostAllowed } from '../outbound/host-allowlist.js';

type AiConfig = Config['ai'];

/** The host `LLM_BASE_URL` points at (config validation guarantees it is a URL). */
export function llmHost(ai: Pick<AiConfig, 'baseUrl'>): string {
  return new URL(ai.baseUrl).hostname;
}

/** Whether `LLM_ALLOWED_DOMAINS` lets AOC call `host` (an empty list allows any host). */
export function llmHostAllowed(ai: Pick<AiConfig, 'allowedDomains'>, host: string): boolean {
  return ai.allowedDomains.length === 0 || hostAllowed(host, ai.allowedDomains);
}

/**
 * Refuse, at startup, an LLM host outside `LLM_ALLOWED_DOMAINS`: a `ConfigError` naming the host and the list,
 * so a wrong base URL is found before any event could be sent to it.
 */
export function assertLlmHostAllowed(ai: Pick<AiConfig, 'baseUrl' | 'allowedDomains'>): void {
  const host = llmHost(ai);
  if (!llmHostAllowed(ai, host)) {
    throw new ConfigError(
      `LLM_BASE_URL host "${host}" is not in LLM_ALLOWED_DOMAINS (${ai.allowedDomains.join(', ')})`,
      { details: [`LLM_BASE_URL: host "${host}" is not in LLM_ALLOWED_DOMAINS`] },
    );
  }
}

/** Why a call to the LLM did not give an answer; the ask and explain verbs fall back on each. */
export type LlmFailureReason = 'no_key' | 'host_refused' | 'timeout' | 'failed';

/** A call to the LLM that produced no usable answer. The message is safe to show: it never carries the key. */
export class LlmUnavailableError extends AppError {
  override readonly name = 'LlmUnavailableError';
  readonly reason: LlmFailureReason;
  constructor(reason: LlmFailureReason, message: string, options?: { cause?: unknown }) {
    super('UPSTREAM', message, options);
    this.reason = reason;
  }
}

/**
 * `fetch` that only reaches allowed hosts and never follows a redirect (a 307 would resend the events to
 * wherever it points). Checked on every request, whatever URL the SDK builds.
 */
export function guardedFetch(ai: Pick<AiConfig, 'allowedDomains'>, inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!llmHostAllowed(ai, url.hostname)) {
      return Promise.reject(
        new LlmUnavailableError('host_refused', `LLM host "${url.hostname}" is not in LLM_ALLOWED_DOMAINS`),
      );
    }
    return inner(input, { ...init, redirect: 'error' });
  };
}
