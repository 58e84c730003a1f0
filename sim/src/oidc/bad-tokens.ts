import { DEFAULT_USER } from './claims.js';
import { generateSigningKey } from './keys.js';
import { tamperPayload } from './mint.js';
import type { OidcSim } from './server.js';

/** Every kind of token an API must refuse, by name. */
export const BAD_TOKEN_KINDS = [
  'expired',
  'not-yet-valid',
  'wrong-audience',
  'wrong-issuer',
  'other-tenant',
  'unknown-kid',
  'alg-none',
  'tampered-payload',
  'hs256-public-pem',
  'hs256-public-jwk',
  'graph-audience',
  'id-token',
  'group-overage',
] as const;
export type BadTokenKind = (typeof BAD_TOKEN_KINDS)[number];

/** A token that must be refused, and where. */
export interface BadToken {
  kind: BadTokenKind;
  token: string;
  reason: string;
  /**
   * `verify`: `jose.jwtVerify` with the sim's JWKS, its v2 issuer, the client id as audience and
   * `algorithms: ['RS256']` rejects it with {@link BadToken.joseCode} (and {@link BadToken.claim} for claim
   * checks). `authorize`: it verifies, and only the API's claim checks (scopes/roles, groups) can refuse it.
   */
  rejectedBy: 'verify' | 'authorize';
  joseCode?: string;
  claim?: string;
}

/** The Microsoft Graph application id: the audience of tokens meant for Graph, never for AOC. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OTHER_TENANT = 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f';

/** Mints one token of every kind in {@link BAD_TOKEN_KINDS}, so auth tests can iterate them by name. */
export async function badTokens(sim: OidcSim): Promise<BadToken[]> {
  const good = await sim.mintToken();
  const { jwk, pem } = sim.publicKey();
  const encoder = new TextEncoder();
  const claimFailure = (claim: string) => ({
    rejectedBy: 'verify' as const,
    joseCode: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    claim,
  });
  const algFailure = { rejectedBy: 'verify' as const, joseCode: 'ERR_JOSE_ALG_NOT_ALLOWED' };
  const tokens: Record<BadTokenKind, Omit<BadToken, 'kind'>> = {
    expired: {
      token: await sim.mintToken({ expiresIn: -3600 }),
      reason: 'exp is an hour in the past',
      rejectedBy: 'verify',
      joseCode: 'ERR_JWT_EXPIRED',
      claim: 'exp',
    },
    'not-yet-valid': {
      token: await sim.mintToken({ notBefore: 3600 }),
      reason: 'nbf is an hour in the future',
      ...claimFailure('nbf'),
    },
    'wrong-audience': {
      token: await sim.mintToken({ audience: 'api://some-other-app' }),
      reason: 'aud names another application',
      ...claimFailure('aud'),
    },
    'wrong-issuer': {
      token: await sim.mintToken({ issuer: `https://issuer.invalid/${sim.tenantId}/v2.0` }),
      reason: 'iss is not the tenant issuer',
      ...claimFailure('iss'),
    },
    'other-tenant': {
      token: await sim.mintToken({ tenantId: OTHER_TENANT }),
      reason: 'tid and iss belong to another tenant',
      ...claimFailure('iss'),
    },
    'unknown-kid': {
      token: await sim.mintToken({ signingKey: await generateSigningKey() }),
      reason: 'signed by a key the JWKS does not publish',
      rejectedBy: 'verify',
      joseCode: 'ERR_JWKS_NO_MATCHING_KEY',
    },
    'alg-none': {
      token: await sim.mintToken({ alg: 'none' }),
      reason: 'unsigned (alg: none)',
      ...algFailure,
    },
    'tampered-payload': {
      token: tamperPayload(good, (claims) => {
        claims.roles = ['AOC.Admin'];
      }),
      reason: 'roles changed after signing; the signature is the original one',
      rejectedBy: 'verify',
      joseCode: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    },
    'hs256-public-pem': {
      token: await sim.mintToken({ alg: 'HS256', hmacSecret: encoder.encode(pem) }),
      reason: 'HS256 with the public key PEM as secret (key confusion)',
      ...algFailure,
    },
    'hs256-public-jwk': {
      token: await sim.mintToken({ alg: 'HS256', hmacSecret: encoder.encode(JSON.stringify(jwk)) }),
      reason: 'HS256 with the public JWK as secret (key confusion)',
      ...algFailure,
    },
    'graph-audience': {
      // Graph access tokens carry a `nonce` header and are meant for Graph alone.
      token: await sim.mintToken({
        audience: GRAPH_APP_ID,
        header: { nonce: 'sim-graph-nonce' },
        claims: { scp: 'User.Read openid profile email', roles: undefined },
      }),
      reason: 'a Microsoft Graph token (aud 00000003-…, nonce header)',
      ...claimFailure('aud'),
    },
    'id-token': {
      token: await sim.mintToken({
        claims: {
          scp: undefined,
          roles: undefined,
          groups: undefined,
          azp: undefined,
          azpacr: undefined,
          nonce: 'sim-nonce',
        },
      }),
      reason: 'an ID token: valid signature and audience, but no scp or roles',
      rejectedBy: 'authorize',
    },
    'group-overage': {
      token: await sim.mintToken({
        claims: {
          roles: undefined,
          groups: undefined,
          _claim_names: { groups: 'src1' },
          _claim_sources: {
            src1: {
              endpoint: `https://graph.windows.net/${sim.tenantId}/users/${DEFAULT_USER.oid}/getMemberObjects`,
            },
          },
        },
      }),
      reason: 'group overage: no groups claim, only _claim_names/_claim_sources, and no roles',
      rejectedBy: 'authorize',
    },
  };
  return BAD_TOKEN_KINDS.map((kind) => ({ kind, ...tokens[kind] }));
}
