import type { MiddlewareHandler } from 'hono';
import { AppError, isAppError } from '@aoc/core';
import type { Logger } from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import { checkAccess } from './access.js';
import type { AccessPolicy } from './access.js';
import { requiresAuth } from './public-paths.js';
import type { TokenVerifier } from './verify-token.js';

export interface AuthMiddlewareOptions {
  /**
   * For `/mcp` paths: the URL of the protected-resource metadata, advertised in `WWW-Authenticate` so MCP
   * clients can discover where to sign in (MCP authorization spec; RFC 9728 §5.1).
   */
  resourceMetadataFor?: ((request: Request) => string) | undefined;
}

const TOKEN = /^[A-Za-z0-9\-_.~+/]+=*$/;

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] && TOKEN.test(match[1]) ? match[1] : undefined;
}

/**
 * Browsers' EventSource cannot send headers, so the console's tRPC subscriptions (GET, SSE) carry the token in
 * tRPC's `connectionParams` query parameter (`{"token": "…"}`). Accepted there only; the token is verified
 * exactly like a header one.
 */
function subscriptionToken(
  path: string,
  method: string,
  connectionParams: string | undefined,
): string | undefined {
  if (method !== 'GET' || !path.startsWith('/trpc/') || !connectionParams) return undefined;
  try {
    const params: unknown = JSON.parse(connectionParams);
    const token = (params as { token?: unknown } | null)?.token;
    return typeof token === 'string' && TOKEN.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bearer-token gate for every protected path (see `requiresAuth`): 401 with `WWW-Authenticate` when the token
 * is missing or invalid, 403 when it is valid but grants no access. The verified identity is set on the context.
 */
export function authMiddleware(
  verifier: TokenVerifier,
  policy: AccessPolicy,
  log: Logger,
  options: AuthMiddlewareOptions = {},
): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    if (c.req.method === 'OPTIONS' || !requiresAuth(c.req.path)) return next();
    const isMcp = c.req.path === '/mcp' || c.req.path.startsWith('/mcp/');
    const metadata =
      isMcp && options.resourceMetadataFor
        ? `, resource_metadata="${options.resourceMetadataFor(c.req.raw)}"`
        : '';
    const token =
      bearerToken(c.req.header('authorization')) ??
      subscriptionToken(c.req.path, c.req.method, c.req.query('connectionParams'));
    if (!token) {
      c.header('WWW-Authenticate', `Bearer realm="aoc"${metadata}`);
      throw new AppError('UNAUTHORIZED', 'A bearer token is required');
    }
    let verified;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      if (isAppError(error) && error.code === 'UNAUTHORIZED') {
        const description = error.message.replace(/"/g, "'");
        c.header(
          'WWW-Authenticate',
          `Bearer realm="aoc", error="invalid_token", error_description="${description}"${metadata}`,
        );
        log.debug({ reason: error.message, requestId: c.get('requestId') }, 'token rejected');
      }
      throw error;
    }
    checkAccess(verified, policy);
    c.set('identity', verified.identity);
    return next();
  };
}
