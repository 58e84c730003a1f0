import type { BearerAuth, HttpClient } from '../http/index.js';

export interface TokenClientOptions {
  http: HttpClient;
  loginBaseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  now: () => Date;
  /** Refresh this long before the announced expiry (default 5 min, at most a tenth of the lifetime). */
  refreshMarginMs?: number;
}

/** Tokens for several resources from one app registration. */
export interface TokenClient {
  /** A bearer-token supplier for one resource, e.g. `https://graph.microsoft.com/.default`. */
  forScope(scope: string): BearerAuth;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

/**
 * OAuth 2.0 client-credentials tokens from `{login}/{tenant}/oauth2/v2.0/token`
 * (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow), one cache entry per
 * scope, concurrent callers sharing one request. A token is dropped when a resource server answers 401 with it
 * (the HTTP layer then retries once), so a token revoked or expiring early is replaced without restarting a run.
 * The secret only ever travels in the form body; errors name the `login` source and Entra's AADSTS code.
 */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  const url = `${options.loginBaseUrl}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  const cache = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<string>>();
  const margin = options.refreshMarginMs ?? 5 * 60_000;

  async function acquire(scope: string, signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope,
      grant_type: 'client_credentials',
    });
    const { body } = await options.http.json<{ access_token?: unknown; expires_in?: unknown }>({
      source: 'login',
      url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal,
    });
    if (typeof body.access_token !== 'string' || body.access_token.length === 0) {
      throw new Error('login: token response carried no access_token');
    }
    const lifetimeMs = Number(body.expires_in ?? 3600) * 1000;
    const refreshAt = options.now().getTime() + lifetimeMs - Math.min(margin, lifetimeMs / 10);
    cache.set(scope, { value: body.access_token, refreshAt });
    return body.access_token;
  }

  return {
    forScope(scope) {
      return {
        token(signal) {
          const cached = cache.get(scope);
          if (cached && options.now().getTime() < cached.refreshAt) return Promise.resolve(cached.value);
          let inFlight = pending.get(scope);
          if (!inFlight) {
            inFlight = acquire(scope, signal).finally(() => pending.delete(scope));
            pending.set(scope, inFlight);
          }
          return inFlight;
        },
        invalidate(token) {
          if (cache.get(scope)?.value === token) cache.delete(scope);
        },
      };
    },
  };
}
