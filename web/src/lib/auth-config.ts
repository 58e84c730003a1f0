/** How the console signs in, as announced by `GET /api/config/auth`. */
export interface AuthConfig {
  enabled: boolean;
  clientId: string;
  /** Full authority URL, e.g. `https://login.microsoftonline.com/<tenant>`. */
  authority: string;
  scopes: string[];
}

type Json = Record<string, unknown>;

function pick(body: Json, ...keys: string[]): unknown {
  for (const key of keys) if (body[key] !== undefined && body[key] !== null) return body[key];
  return undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Reads the auth announcement tolerantly: the original service answered in snake_case, AOC may add camelCase
 * fields and an explicit authority (sovereign clouds, the test issuer). Without an explicit authority it is
 * `{login_base_url}/{tenant_id}`; without scopes it is the API's own `api://{client_id}/.default`.
 */
export function parseAuthConfig(body: unknown): AuthConfig {
  if (body === null || typeof body !== 'object')
    return { enabled: false, clientId: '', authority: '', scopes: [] };
  const b = body as Json;
  const enabled = pick(b, 'auth_enabled', 'enabled', 'authEnabled') === true;
  const clientId = text(pick(b, 'client_id', 'clientId'));
  const tenant = text(pick(b, 'tenant_id', 'tenantId'));
  const base = text(pick(b, 'login_base_url', 'loginBaseUrl')) || 'https://login.microsoftonline.com';
  const authority = text(pick(b, 'authority')) || `${base.replace(/\/+$/, '')}/${tenant}`;
  const rawScopes = pick(b, 'scopes', 'scope');
  const scopes = Array.isArray(rawScopes)
    ? rawScopes.filter((s): s is string => typeof s === 'string')
    : typeof rawScopes === 'string' && rawScopes !== ''
      ? rawScopes.split(/\s+/)
      : clientId
        ? [`api://${clientId}/.default`]
        : [];
  return { enabled, clientId, authority, scopes };
}
