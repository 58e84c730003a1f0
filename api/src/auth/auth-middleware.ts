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
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(header);
    if (!match?.[1]) {
      c.header('WWW-Authenticate', `Bearer realm="aoc"${metadata}`);
      throw new AppError('UNAUTHORIZED', 'A bearer token is required');
    }
    let verified;
    try {
      verified = await verifier.verify(match[1]);
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
