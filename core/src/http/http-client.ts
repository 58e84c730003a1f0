import { HttpError } from './http-error.js';
import type { HttpFailure } from './http-error.js';
import { readErrorBody } from './error-body.js';
import { parseRetryAfter } from './retry-after.js';
import { createRetryBudget } from './retry-budget.js';
import type { RetryBudget } from './retry-budget.js';
import { abortableSleep } from './sleep.js';
import type { Sleep } from './sleep.js';

/** A bearer token supplier (see sources/token-client.ts). */
export interface BearerAuth {
  /** A valid access token, cached until shortly before it expires. */
  token(signal?: AbortSignal): Promise<string>;
  /** Drop `token` from the cache: the resource server rejected it. */
  invalidate(token: string): void;
}

export interface HttpRequest {
  /** Which source or client makes the call; it is named in every error. */
  source: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  auth?: BearerAuth;
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout (blob downloads take longer than a page). */
  timeoutMs?: number;
  /** Awaited before every attempt, retries included: a rate limiter for a quota the server counts per call. */
  gate?: (signal?: AbortSignal) => Promise<void>;
}

export interface RetryOptions {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff step; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking to wait longer than this gets no retry: the error says how long it asked for. */
  maxRetryAfterMs: number;
}

/** What the client reports before each retry (for logs and progress). */
export interface RetryNotice {
  source: string;
  path: string;
  status: number | undefined;
  attempt: number;
  delayMs: number;
}

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** Per-attempt timeout, covering the response body too. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Retries shared by every request of this client; unlimited when omitted. */
  budget?: RetryBudget;
  sleep?: Sleep;
  random?: () => number;
  now?: () => Date;
  onRetry?: (notice: RetryNotice) => void;
}

/** The one HTTP layer every Microsoft call goes through. */
export interface HttpClient {
  /**
   * Send a request and hand a successful response to `read`, retrying on 429, 5xx, Management API
   * throttling (403 AF429), network errors, timeouts and bodies cut off mid-read; `read` may run more than
   * once, so it must be idempotent. A 401 with `auth` refreshes the token and retries once. Other statuses,
   * or retries exhausted, throw an `HttpError`; errors thrown by `read` itself (not the network) pass through.
   */
  send<T>(request: HttpRequest, read: (response: Response) => Promise<T>): Promise<T>;
  /** `send` reading a JSON body. */
  json<T = unknown>(request: HttpRequest): Promise<{ body: T; headers: Headers }>;
  /** The same client drawing retries from another budget (one budget per fetch run). */
  withBudget(budget: RetryBudget): HttpClient;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Create the HTTP layer. Retries are hand-rolled rather than cockatiel's: the delay comes from each response's Retry-After, the budget spans requests, and the sleep is injected so tests control time. */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const budget = options.budget ?? createRetryBudget(Number.POSITIVE_INFINITY);
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());

  function backoff(attempt: number): number {
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    // "Equal jitter": never less than half the step, so a storm still spreads out.
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }

  async function send<T>(request: HttpRequest, read: (response: Response) => Promise<T>): Promise<T> {
    const method = request.method ?? 'GET';
    const path = safePath(request.url);
    let attempt = 0;
    let refreshed = false;
    for (;;) {
      attempt += 1;
      request.signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(request.timeoutMs ?? timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      const failure = (status: number | undefined, msCode?: string): HttpFailure => ({
        source: request.source,
        method,
        path,
        status,
        msCode,
        attempts: attempt,
      });
      let token: string | undefined;
      let response: Response;
      try {
        const headers: Record<string, string> = { ...request.headers };
        await request.gate?.(request.signal);
        if (request.auth) {
          token = await request.auth.token(request.signal);
          headers.authorization = `Bearer ${token}`;
        }
        response = await fetchImpl(request.url, { method, headers, body: request.body, signal });
        if (response.ok) return await read(response);
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        if (!isTransient(error)) throw error;
        const delay = backoff(attempt);
        if (attempt < retry.maxAttempts && budget.take()) {
          options.onRetry?.({ source: request.source, path, status: undefined, attempt, delayMs: delay });
          await sleep(delay, request.signal);
          continue;
        }
        throw new HttpError(failure(undefined), `${describe(error)}${exhausted(attempt)}`, { cause: error });
      }

      const body = await readErrorBody(response);
      const reason =
        [body.code, body.message].filter(Boolean).join(': ') || response.statusText || 'no detail';
      if (response.status === 401 && token !== undefined && request.auth && !refreshed) {
        // A token can be revoked or expire early; one refresh per request, so a bad secret cannot loop.
        refreshed = true;
        request.auth.invalidate(token);
        attempt -= 1;
        continue;
      }
      if (!isRetryableStatus(response.status, body.code))
        throw new HttpError(failure(response.status, body.code), reason);
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
      if (retryAfter !== undefined && retryAfter > retry.maxRetryAfterMs) {
        throw new HttpError(
          failure(response.status, body.code),
          `${reason} (asked to retry after ${Math.ceil(retryAfter / 1000)} s)`,
        );
      }
      const delay = retryAfter ?? backoff(attempt);
      if (attempt < retry.maxAttempts && budget.take()) {
        options.onRetry?.({ source: request.source, path, status: response.status, attempt, delayMs: delay });
        await sleep(delay, request.signal);
        continue;
      }
      throw new HttpError(failure(response.status, body.code), `${reason}${exhausted(attempt)}`);
    }

    function exhausted(attempts: number): string {
      return attempts < retry.maxAttempts ? ' (retry budget of this run exhausted)' : '';
    }
  }

  return {
    send,
    async json<T>(request: HttpRequest) {
      return send(request, async (response) => ({
        body: (await response.json()) as T,
        headers: response.headers,
      }));
    },
    withBudget(next: RetryBudget) {
      return createHttpClient({ ...options, budget: next });
    },
  };
}

/**
 * 429 and 5xx are transient (https://learn.microsoft.com/graph/throttling,
 * https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors). The Management
 * Activity API reports its throttling as 403 with code AF429
 * (https://learn.microsoft.com/office/office-365-management-api/troubleshooting-the-office-365-management-activity-api).
 */
function isRetryableStatus(status: number, msCode: string | undefined): boolean {
  if (status === 429 || status >= 500) return true;
  return status === 403 && msCode === 'AF429';
}

/** Network failures, timeouts and bodies cut off mid-read; not the caller's own errors. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || error.name === 'SyntaxError')
    return true;
  if (error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message)) return true;
  const code = errorCode(error) ?? errorCode(error.cause);
  return code !== undefined && NETWORK_CODES.has(code);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  const code = errorCode(error.cause) ?? errorCode(error);
  if (error.name === 'TimeoutError') return 'timed out';
  return code ? `${error.message} (${code})` : error.message;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid URL)';
  }
}
