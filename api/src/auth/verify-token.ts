import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { AppError, isAppError } from '@aoc/core';
import type { Logger } from '@aoc/core';
import { createDiscovery } from './discovery.js';
import type { TokenVersion } from './discovery.js';
import type { Identity } from './identity.js';
import { createKeyStore } from './key-store.js';
import type { KeyStore } from './key-store.js';

/** Microsoft Graph's application id: tokens for Graph are never tokens for us. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_INSIDE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

export interface VerifierOptions {
  loginBaseUrl: string;
  tenantId: string;
  clientId: string;
  fetch?: typeof fetch;
  now?: () => number;
  log: Logger;
  /** Accepted clock skew for `exp`/`nbf`, in seconds. */
  clockToleranceSeconds?: number;
  unknownKidCooldownMs?: number;
  keyRefreshAfterMs?: number;
}

/** A verified token: who, and whether group membership was too large to be listed in it. */
export interface VerifiedToken {
  identity: Identity;
  groupOverage: boolean;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/** 401 with a reason a client may see (it names which check failed, never key material). */
export function invalidToken(reason: string, cause?: unknown): AppError {
  return new AppError('UNAUTHORIZED', `Invalid token: ${reason}`, cause === undefined ? {} : { cause });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function describeJoseError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.claim} ${error.reason}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  return 'malformed';
}

/**
 * Verifies Entra access tokens for our API, built once per process: signature (RS256 only) against the
 * tenant's keys, the issuer its discovery document states for the token's version, our audience (bare client id
 * or `api://` form), the tenant, lifetime with a small skew, and that it is an access token (`scp` or `roles`)
 * rather than an ID token or a token for another API.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const discover = createDiscovery({
    loginBaseUrl: options.loginBaseUrl,
    tenantId: options.tenantId,
    fetch: fetchFn,
    now,
  });
  const stores = new Map<string, KeyStore>();
  const audience = [options.clientId, `api://${options.clientId}`];
  const tolerance = options.clockToleranceSeconds ?? 90;

  function storeFor(jwksUri: string): KeyStore {
    let store = stores.get(jwksUri);
    if (!store) {
      store = createKeyStore({
        jwksUri,
        fetch: fetchFn,
        now,
        log: options.log,
        ...(options.unknownKidCooldownMs === undefined
          ? {}
          : { unknownKidCooldownMs: options.unknownKidCooldownMs }),
        ...(options.keyRefreshAfterMs === undefined ? {} : { refreshAfterMs: options.keyRefreshAfterMs }),
      });
      stores.set(jwksUri, store);
    }
    return store;
  }

  async function verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    let version: TokenVersion;
    try {
      const header = decodeProtectedHeader(token);
      // Graph access tokens carry a `nonce` header and are only valid at Graph; they must never pass here.
      if ('nonce' in header) throw invalidToken('token issued for another API');
      const claims = decodeJwt(token);
      if (claims.ver !== '1.0' && claims.ver !== '2.0') throw invalidToken('unknown token version');
      version = claims.ver;
    } catch (error) {
      if (isAppError(error)) throw error;
      throw invalidToken('malformed', error);
    }
    const discovery = await discover(version);
    const issuer = discovery.issuer.replace('{tenantid}', options.tenantId);
    try {
      const { payload } = await jwtVerify(token, storeFor(discovery.jwksUri).getKey, {
        algorithms: ['RS256'],
        issuer,
        audience,
        clockTolerance: tolerance,
        requiredClaims: ['exp', 'tid', 'oid'],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError) throw invalidToken(describeJoseError(error), error);
      throw error;
    }
  }

  // A domain-name AUTH_TENANT_ID resolves to the GUID inside the v2 issuer.
  async function expectedTenant(): Promise<string> {
    if (GUID.test(options.tenantId)) return options.tenantId.toLowerCase();
    const { issuer } = await discover('2.0');
    return GUID_INSIDE.exec(issuer)?.[0].toLowerCase() ?? '';
  }

  return {
    async verify(token) {
      const payload = await verifySignatureAndClaims(token);
      if (payload.aud === GRAPH_APP_ID) throw invalidToken('token issued for another API');
      const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
      if (tid !== (await expectedTenant())) throw invalidToken('tid does not match the tenant');
      const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
      const roles = stringList(payload.roles);
      if (scopes.length === 0 && roles.length === 0) {
        throw invalidToken('not an access token for this API (no scp or roles)');
      }
      const claimNames = payload._claim_names as Record<string, unknown> | undefined;
      const groups = stringList(payload.groups);
      const name = [
        payload.name,
        payload.preferred_username,
        payload.upn,
        payload.unique_name,
        payload.appid,
        payload.azp,
      ].find((value): value is string => typeof value === 'string' && value.length > 0);
      return {
        identity: {
          tenantId: tid,
          objectId: String(payload.oid),
          name: name ?? String(payload.oid),
          roles,
          groups,
          kind: scopes.length > 0 ? 'user' : 'app',
        },
        groupOverage:
          groups.length === 0 &&
          typeof claimNames === 'object' &&
          claimNames !== null &&
          'groups' in claimNames,
      };
    },
  };
}
