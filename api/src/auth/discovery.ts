import { UnavailableError } from '@aoc/core';

/** The parts of an OpenID Connect discovery document that token verification needs. */
export interface Discovery {
  issuer: string;
  jwksUri: string;
}

export type TokenVersion = '1.0' | '2.0';

/** Discovery document URL for a token version: v2 under `/v2.0`, v1 at the tenant root. */
export function discoveryUrl(loginBaseUrl: string, tenantId: string, version: TokenVersion): string {
  const path =
    version === '2.0' ? 'v2.0/.well-known/openid-configuration' : '.well-known/openid-configuration';
  return `${loginBaseUrl}/${encodeURIComponent(tenantId)}/${path}`;
}

export interface DiscoveryOptions {
  loginBaseUrl: string;
  tenantId: string;
  fetch: typeof fetch;
  now: () => number;
  retryAfterMs?: number;
  timeoutMs?: number;
}

/**
 * Loads each version's discovery document once and keeps it (issuer and key URL do not change while the
 * process runs). A failed load is retried no sooner than `retryAfterMs`, so unauthenticated traffic while the
 * provider is down does not turn into a flood of discovery requests.
 */
export function createDiscovery(options: DiscoveryOptions): (version: TokenVersion) => Promise<Discovery> {
  const retryAfter = options.retryAfterMs ?? 30_000;
  const cache = new Map<TokenVersion, Promise<Discovery>>();
  const failedAt = new Map<TokenVersion, number>();

  async function load(version: TokenVersion): Promise<Discovery> {
    const url = discoveryUrl(options.loginBaseUrl, options.tenantId, version);
    const res = await options.fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string') {
      throw new Error(`${url} lacks issuer or jwks_uri`);
    }
    return { issuer: doc.issuer, jwksUri: doc.jwks_uri };
  }

  return async function discover(version) {
    const cached = cache.get(version);
    if (cached) return cached;
    const last = failedAt.get(version);
    if (last !== undefined && options.now() - last < retryAfter) {
      throw new UnavailableError('The sign-in provider cannot be reached');
    }
    const pending = load(version).catch((error: unknown) => {
      cache.delete(version);
      failedAt.set(version, options.now());
      throw new UnavailableError('The sign-in provider cannot be reached', { cause: error });
    });
    cache.set(version, pending);
    return pending;
  };
}
