import { isLoopbackHost } from '../config.js';
import type { Config } from '../config.js';
import { AppError, ConfigError } from '../errors.js';
import { OutboundRefusedError } from '../outbound/outbound-error.js';
import { createOutboundGuard } from '../outbound/outbound-guard.js';
import type { OutboundDeps, OutboundGuard } from '../outbound/outbound-guard.js';

type AiConfig = Config['ai'];
type LlmGuardConfig = Pick<AiConfig, 'baseUrl' | 'allowedDomains' | 'allowPrivateNetwork' | 'timeoutSeconds'>;

/** `LLM_TIMEOUT_SECONDS` when unset. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

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
 * The outbound guard of the LLM (the one SIEM and rule webhooks use): https only, a host in
 * `LLM_ALLOWED_DOMAINS` (an empty list allows any host), the name resolved once per request and every address
 * public — private ones only under `LLM_ALLOW_PRIVATE_NETWORK`, metadata and link-local never — and no redirect
 * followed (a 307 would resend the events to wherever it points).
 *
 * Loopback (and plain http to it) is allowed under the tests' setting (`outbound.allowLoopback`) or when
 * `LLM_BASE_URL` itself names a loopback host (`http://127.0.0.1:4000/v1`, `http://localhost:11434/v1`): the
 * operator chose a model or proxy on the same machine, as config validation already accepts. A public-looking
 * name that resolves to a loopback address is still refused.
 */
export function createLlmGuard(ai: LlmGuardConfig, outbound: OutboundDeps = {}): OutboundGuard {
  const loopbackNamed = isLoopbackHost(new URL(ai.baseUrl).hostname);
  return createOutboundGuard({
    allowedHosts: ai.allowedDomains.length > 0 ? ai.allowedDomains : 'any',
    allowlistName: 'LLM_ALLOWED_DOMAINS',
    allowPrivateNetwork: ai.allowPrivateNetwork,
    maxRedirects: 0,
    timeoutMs: (ai.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    ...(outbound.allowLoopback || loopbackNamed ? { allowLoopback: true } : {}),
    ...(outbound.resolve ? { resolve: outbound.resolve } : {}),
  });
}

/** A guard refusal as operators should read it: what was refused, and the setting that would change it. */
function refusalMessage(error: OutboundRefusedError, ai: Pick<AiConfig, 'allowPrivateNetwork'>): string {
  const hint =
    error.reason === 'address' && /\bprivate\b/.test(error.message) && !ai.allowPrivateNetwork
      ? ' (set LLM_ALLOW_PRIVATE_NETWORK=true for a private endpoint such as Azure OpenAI Private Link)'
      : '';
  return `LLM_BASE_URL: ${error.message}${hint}`;
}

/**
 * The guard's checks that need no network, at startup: a `ConfigError` naming the setting when `LLM_BASE_URL`
 * is not https, its host is outside `LLM_ALLOWED_DOMAINS`, or it is a refused IP literal — so a wrong base URL
 * is found before any event could be sent to it. Names that resolve to refused addresses are caught per call.
 */
export function assertLlmUrlAllowed(ai: LlmGuardConfig, outbound: OutboundDeps = {}): void {
  try {
    createLlmGuard(ai, outbound).checkUrl(ai.baseUrl);
  } catch (error) {
    if (!(error instanceof OutboundRefusedError)) throw error;
    const message = refusalMessage(error, ai);
    throw new ConfigError(message, { details: [message] });
  }
}

/**
 * Check the LLM endpoint before a call (DNS included), so a refused destination fails at once with the
 * reason instead of through the SDK's connection retry. Throws `LlmUnavailableError('host_refused')`.
 */
export async function checkLlmDestination(
  guard: OutboundGuard,
  ai: LlmGuardConfig,
  url: string,
): Promise<void> {
  try {
    await guard.resolve(url);
  } catch (error) {
    throw asLlmError(error, ai);
  }
}

/** A guard refusal as `LlmUnavailableError('host_refused')`; any other error unchanged. */
function asLlmError(error: unknown, ai: Pick<AiConfig, 'allowPrivateNetwork'>): unknown {
  return error instanceof OutboundRefusedError
    ? new LlmUnavailableError('host_refused', refusalMessage(error, ai), { cause: error })
    : error;
}

/**
 * `fetch` for the SDK that sends every request through the guard, whatever URL the SDK builds: resolved
 * once, connected to the checked address only, redirects refused. Refusals reject as `LlmUnavailableError`.
 */
export function guardedFetch(guard: OutboundGuard, ai: Pick<AiConfig, 'allowPrivateNetwork'>): typeof fetch {
  return async (input, init) => {
    // The SDK calls fetch(url, init); a Request object's own method and body are not something it sends.
    const url = input instanceof Request ? input.url : input;
    try {
      return await guard.fetch(url, init);
    } catch (error) {
      throw asLlmError(error, ai);
    }
  };
}
