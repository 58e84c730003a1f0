import { cors } from 'hono/cors';
import type { MiddlewareHandler } from 'hono';

/**
 * CORS for the origins listed in `CORS_ORIGINS` (exact matches, never a wildcard, since bearer-token calls
 * from a browser count as credentialed). With no origins configured nothing cross-origin is allowed: the
 * console is served from the same origin and needs no CORS at all.
 */
export function corsPolicy(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(
    origins.filter((origin) => origin !== '*').map((origin) => origin.replace(/\/+$/, '')),
  );
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: allowed.size > 0,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Mcp-Session-Id', 'Mcp-Protocol-Version'],
    exposeHeaders: ['X-Request-Id', 'Mcp-Session-Id', 'Retry-After'],
    maxAge: 600,
  });
}
