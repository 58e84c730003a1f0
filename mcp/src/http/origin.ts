export interface OriginPolicy {
  /** Browser origins allowed to call (the API's CORS_ORIGINS). */
  allowedOrigins: readonly string[];
  /**
   * Accept the server's own origin. Safe only when every request also needs a bearer token: a DNS-rebound
   * page looks same-origin to the browser but has no token.
   */
  allowSameOrigin: boolean;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function hostnameOf(hostHeader: string): string {
  return hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : (hostHeader.split(':')[0] ?? '');
}

/**
 * Whether a request may reach MCP, against DNS rebinding: a request without `Origin` comes from a non-browser
 * client (desktop apps, agents) and passes; a browser request passes when its origin is configured, when both
 * the page and the server are addressed by loopback names (a rebinding attacker's page carries its own
 * hostname, never `localhost`), or when it is `serverOrigin` (the public origin) and same-origin is allowed.
 */
export function originAllowed(request: Request, policy: OriginPolicy, serverOrigin: string): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  if (policy.allowedOrigins.some((allowed) => allowed.replace(/\/+$/, '') === origin)) return true;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false;
  }
  const host = request.headers.get('host') ?? new URL(request.url).host;
  if (LOOPBACK.test(page.hostname) && LOOPBACK.test(hostnameOf(host))) return true;
  return policy.allowSameOrigin && page.origin === serverOrigin;
}
