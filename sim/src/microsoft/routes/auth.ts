import { graphError, managementError } from '../error-bodies.js';
import { json, type SimRequest, type SimResponse } from '../http.js';
import type { Audience, TokenClaims, TokenService } from '../tokens.js';

export type AuthResult = { ok: true; claims: TokenClaims } | { ok: false; response: SimResponse };

const CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

/** Checks the bearer token and its audience; Graph answers 401 InvalidAuthenticationToken. */
export function authorizeGraph(req: SimRequest, tokens: TokenService): AuthResult {
  const check = tokens.verify(req.headers.authorization);
  const deny = (message: string): AuthResult => ({
    ok: false,
    response: graphError(401, 'InvalidAuthenticationToken', message, { 'www-authenticate': CHALLENGE }),
  });
  if (!check.ok) {
    if (check.reason === 'missing') return deny('Access token is empty.');
    if (check.reason === 'expired') return deny('Lifetime validation failed, the token is expired.');
    return deny('Access token validation failure. Invalid token.');
  }
  if (check.claims.audience !== 'graph') return deny('Access token validation failure. Invalid audience.');
  return { ok: true, claims: check.claims };
}

/**
 * The Management Activity API rejects a bad, expired or foreign-audience token with ASP.NET's plain
 * `{"Message": "Authorization has been denied for this request."}`, not its AF error shape; a token for
 * another tenant gets AF20010.
 */
export function authorizeManagement(
  req: SimRequest,
  tokens: TokenService,
  audience: Audience,
  tenantInUrl: string,
): AuthResult {
  const check = tokens.verify(req.headers.authorization);
  if (!check.ok || check.claims.audience !== audience) {
    return {
      ok: false,
      response: json(
        401,
        { Message: 'Authorization has been denied for this request.' },
        { 'www-authenticate': 'Bearer' },
      ),
    };
  }
  if (check.claims.tid !== tenantInUrl.toLowerCase()) {
    return {
      ok: false,
      response: managementError(
        401,
        'AF20010',
        `The tenant ID passed in the URL (${tenantInUrl}) does not match the tenant ID passed in the access token (${check.claims.tid}).`,
      ),
    };
  }
  return { ok: true, claims: check.claims };
}
