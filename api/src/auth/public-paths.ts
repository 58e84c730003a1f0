/**
 * Paths anyone may call even when auth is enabled: liveness, what the console needs to sign in, and Microsoft's
 * notification callbacks (which carry no token; core authenticates them by their shared secret).
 */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  '/health',
  '/api/version',
  '/api/config/auth',
  '/api/config/features',
  '/api/webhooks/graph',
  '/api/webhooks/management',
]);

const PROTECTED_PREFIXES = ['/api/', '/trpc/', '/mcp/'];
const PROTECTED_EXACT = new Set(['/api', '/trpc', '/mcp', '/metrics', '/openapi.json', '/docs']);

/**
 * Whether a path needs a token when auth is enabled. Decided by path, not by which route matched, so a route
 * added later under `/api`, `/trpc` or `/mcp` is protected without anyone remembering to; everything else is
 * the console's static files, which carry no data.
 */
export function requiresAuth(path: string): boolean {
  if (PUBLIC_PATHS.has(path)) return false;
  if (PROTECTED_EXACT.has(path)) return true;
  return PROTECTED_PREFIXES.some((prefix) => path.startsWith(prefix));
}
