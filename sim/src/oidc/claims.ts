import { randomUUID } from 'node:crypto';

/** The simulated signed-in user and the ids every default token carries. */
export const DEFAULT_USER = {
  oid: '5d7a3b1e-2c4f-4e8a-9b6d-1f0e2a3c4b5d',
  name: 'Ada Admin',
  givenName: 'Ada',
  familyName: 'Admin',
  upn: 'ada.admin@contoso.onmicrosoft.com',
  groups: ['9f8e7d6c-5b4a-4321-8fed-cba987654321'],
  roles: ['AOC.Reader'],
  scp: 'access_as_user',
} as const;

/** Everything the default claims depend on. */
export interface ClaimsContext {
  version: 1 | 2;
  issuer: string;
  audience: string | string[];
  tenantId: string;
  clientId: string;
  /** Seconds since the epoch. */
  now: number;
  expiresIn: number;
  notBefore: number;
}

/**
 * The claims Entra puts in a delegated access token of the given version (learn.microsoft.com: "Access token
 * claims reference"): v2 has `preferred_username` and `azp`, v1 has `upn`, `unique_name` and `appid`.
 */
export function defaultClaims(ctx: ClaimsContext): Record<string, unknown> {
  const common = {
    aud: ctx.audience,
    iss: ctx.issuer,
    iat: ctx.now,
    nbf: ctx.now + ctx.notBefore,
    exp: ctx.now + ctx.expiresIn,
    aio: 'AWQAm/8sim',
    name: DEFAULT_USER.name,
    oid: DEFAULT_USER.oid,
    rh: '0.AAAAsim.',
    roles: [...DEFAULT_USER.roles],
    groups: [...DEFAULT_USER.groups],
    scp: DEFAULT_USER.scp,
    sub: `sim-sub-${DEFAULT_USER.oid}`,
    tid: ctx.tenantId,
    uti: randomUUID().replaceAll('-', '').slice(0, 22),
  };
  if (ctx.version === 2) {
    return { ...common, azp: ctx.clientId, azpacr: '0', preferred_username: DEFAULT_USER.upn, ver: '2.0' };
  }
  return {
    ...common,
    acr: '1',
    amr: ['pwd', 'mfa'],
    appid: ctx.clientId,
    appidacr: '0',
    family_name: DEFAULT_USER.familyName,
    given_name: DEFAULT_USER.givenName,
    ipaddr: '127.0.0.1',
    unique_name: DEFAULT_USER.upn,
    upn: DEFAULT_USER.upn,
    ver: '1.0',
  };
}
