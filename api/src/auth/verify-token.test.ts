import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@aoc/core';
import { checkAccess } from './access.js';
import { createTokenVerifier } from './verify-token.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const LOGIN = 'https://login.example.test';
const V2_ISSUER = `${LOGIN}/${TENANT}/v2.0`;
const V1_ISSUER = `https://sts.example.test/${TENANT}/`;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** An in-memory Entra: discovery for v1 and v2, a JWKS that can rotate or go down, and request counters. */
function fakeEntra(publicJwk: JWK) {
  const state = { keys: [publicJwk], jwksDown: false, jwksRequests: 0, discoveryRequests: 0 };
  const fetchFn = (input: string | URL | Request): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url === `${LOGIN}/${TENANT}/v2.0/.well-known/openid-configuration`) {
      state.discoveryRequests += 1;
      return Promise.resolve(
        Response.json({ issuer: V2_ISSUER, jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys` }),
      );
    }
    if (url === `${LOGIN}/${TENANT}/.well-known/openid-configuration`) {
      state.discoveryRequests += 1;
      return Promise.resolve(
        Response.json({ issuer: V1_ISSUER, jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys` }),
      );
    }
    if (url === `${LOGIN}/${TENANT}/discovery/v2.0/keys`) {
      state.jwksRequests += 1;
      if (state.jwksDown) return Promise.reject(new TypeError('fetch failed'));
      return Promise.resolve(Response.json({ keys: state.keys }));
    }
    return Promise.resolve(new Response('not found', { status: 404 }));
  };
  return { state, fetch: fetchFn };
}

let signing: KeyPair;
let other: KeyPair;
let jwk: JWK;

beforeAll(async () => {
  signing = await generateKeyPair('RS256', { extractable: true });
  other = await generateKeyPair('RS256', { extractable: true });
  jwk = { ...(await exportJWK(signing.publicKey)), kid: 'key-1', use: 'sig', alg: 'RS256' };
});

interface MintOptions {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: KeyPair['privateKey'];
  kid?: string;
  expiresIn?: number;
  now?: number;
}

function mint(options: MintOptions = {}): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  return new SignJWT({
    ver: '2.0',
    tid: TENANT,
    oid: 'user-oid-1',
    name: 'Ada Admin',
    preferred_username: 'ada@contoso.example',
    scp: 'access_as_user',
    roles: ['AOC.Reader'],
    ...options.claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'key-1', ...options.header })
    .setIssuer((options.claims?.iss as string | undefined) ?? V2_ISSUER)
    .setAudience((options.claims?.aud as string | undefined) ?? CLIENT)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(options.key ?? signing.privateKey);
}

function verifierFor(entra: ReturnType<typeof fakeEntra>, now: () => number = Date.now) {
  return createTokenVerifier({
    loginBaseUrl: LOGIN,
    tenantId: TENANT,
    clientId: CLIENT,
    fetch: entra.fetch,
    now,
    log: silentLogger(),
    unknownKidCooldownMs: 60_000,
    keyRefreshAfterMs: 3_600_000,
  });
}

describe('token verification', () => {
  it('accepts a v2 user token for our API and identifies the caller by tid + oid', async () => {
    const { identity, groupOverage } = await verifierFor(fakeEntra(jwk)).verify(await mint());
    expect(identity).toMatchObject({
      tenantId: TENANT,
      objectId: 'user-oid-1',
      name: 'Ada Admin',
      kind: 'user',
    });
    expect(groupOverage).toBe(false);
  });

  it('accepts the api:// audience and a v1 token with the v1 issuer', async () => {
    const verifier = verifierFor(fakeEntra(jwk));
    await expect(verifier.verify(await mint({ claims: { aud: `api://${CLIENT}` } }))).resolves.toBeDefined();
    await expect(
      verifier.verify(await mint({ claims: { ver: '1.0', iss: V1_ISSUER } })),
    ).resolves.toBeDefined();
    // A v1 token claiming the v2 issuer (or the reverse) is refused: the issuer is chosen by `ver`.
    await expect(verifier.verify(await mint({ claims: { ver: '1.0' } }))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('accepts an app token with roles and no scp', async () => {
    const token = await mint({
      claims: {
        scp: undefined,
        roles: ['AOC.Reader'],
        name: undefined,
        preferred_username: undefined,
        appid: 'daemon-app',
      },
    });
    const { identity } = await verifierFor(fakeEntra(jwk)).verify(token);
    expect(identity).toMatchObject({ kind: 'app', name: 'daemon-app' });
  });

  const rejections: [string, () => Promise<string>, RegExp][] = [
    [
      'expired beyond the skew',
      () => mint({ now: Math.floor(Date.now() / 1000) - 7200, expiresIn: 3600 }),
      /expired/,
    ],
    ['not yet valid beyond the skew', () => mint({ now: Math.floor(Date.now() / 1000) + 600 }), /nbf/],
    ['wrong audience', () => mint({ claims: { aud: 'someone-else' } }), /aud/],
    [
      'Microsoft Graph audience',
      () => mint({ claims: { aud: '00000003-0000-0000-c000-000000000000' } }),
      /aud/,
    ],
    ['Graph token nonce header', () => mint({ header: { nonce: 'abc' } }), /another API/],
    ['wrong issuer', () => mint({ claims: { iss: 'https://evil.example/v2.0' } }), /iss/],
    ['another tenant', () => mint({ claims: { tid: '99999999-2222-3333-4444-555555555555' } }), /tid/],
    [
      'an ID token (no scp, no roles)',
      () => mint({ claims: { scp: undefined, roles: undefined } }),
      /not an access token/,
    ],
    ['a key not in the JWKS', () => mint({ kid: 'key-1', key: other.privateKey }), /signature/],
    ['an unknown kid', () => mint({ kid: 'nope' }), /unknown signing key/],
    ['no oid', () => mint({ claims: { oid: undefined } }), /oid/],
    ['unknown version', () => mint({ claims: { ver: '3.0' } }), /version/],
  ];
  for (const [name, token, reason] of rejections) {
    it(`rejects ${name}`, async () => {
      const error = await verifierFor(fakeEntra(jwk))
        .verify(await token())
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((error as Error).message).toMatch(reason);
    });
  }

  it('rejects alg:none, HS256 signed with the public key, and tampered payloads', async () => {
    const verifier = verifierFor(fakeEntra(jwk));
    const good = await mint();
    const [, payload] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const hsKey = new TextEncoder().encode(JSON.stringify(jwk));
    const hs = await new SignJWT({ ver: '2.0', tid: TENANT, oid: 'x', scp: 'a' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setIssuer(V2_ISSUER)
      .setAudience(CLIENT)
      .setExpirationTime('1h')
      .sign(hsKey);
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, roles: ['AOC.Admin'] })).toString(
      'base64url',
    );
    const [h, , s] = good.split('.');
    for (const token of [none, hs, `${h}.${tamperedPayload}.${s}`, 'not.a.jwt', 'garbage']) {
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
  });

  it('refetches the JWKS at most once per cooldown for a flood of unknown kids', async () => {
    const entra = fakeEntra(jwk);
    let now = 1_000_000;
    const verifier = verifierFor(entra, () => now);
    await verifier.verify(await mint());
    expect(entra.state.jwksRequests).toBe(1);
    for (let i = 0; i < 50; i += 1) {
      await expect(verifier.verify(await mint({ kid: `random-${i}` }))).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    expect(entra.state.jwksRequests).toBe(1);
    now += 61_000;
    await expect(verifier.verify(await mint({ kid: 'random-x' }))).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(entra.state.jwksRequests).toBe(2);
    expect(entra.state.discoveryRequests).toBe(1);
  });

  it('picks up a rotated key after the cooldown', async () => {
    const entra = fakeEntra(jwk);
    let now = 1_000_000;
    const verifier = verifierFor(entra, () => now);
    await verifier.verify(await mint());
    const rotated = { ...(await exportJWK(other.publicKey)), kid: 'key-2', use: 'sig', alg: 'RS256' };
    entra.state.keys = [jwk, rotated];
    now += 61_000;
    await expect(verifier.verify(await mint({ kid: 'key-2', key: other.privateKey }))).resolves.toBeDefined();
  });

  it('keeps verifying with the last good keys while the JWKS endpoint is down', async () => {
    const entra = fakeEntra(jwk);
    let now = 1_000_000;
    const verifier = verifierFor(entra, () => now);
    await verifier.verify(await mint());
    entra.state.jwksDown = true;
    now += 5 * 3_600_000; // far past the refresh age: a refresh is attempted and fails
    await expect(verifier.verify(await mint())).resolves.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(verifier.verify(await mint())).resolves.toBeDefined();
    expect(entra.state.jwksRequests).toBeGreaterThan(1);
  });

  it('answers 503, not 401, when the keys were never reachable', async () => {
    const entra = fakeEntra(jwk);
    entra.state.jwksDown = true;
    await expect(verifierFor(entra).verify(await mint())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('access policy', () => {
  const token = (roles: string[], groups: string[], groupOverage = false) => ({
    identity: { tenantId: TENANT, objectId: 'o', name: 'n', roles, groups, kind: 'user' as const },
    groupOverage,
  });

  it('grants by role or group, and anyone of the tenant when nothing is configured', () => {
    expect(() =>
      checkAccess(token(['AOC.Reader'], []), { allowedRoles: ['AOC.Reader'], allowedGroups: [] }),
    ).not.toThrow();
    expect(() =>
      checkAccess(token([], ['g1']), { allowedRoles: ['AOC.Reader'], allowedGroups: ['g1'] }),
    ).not.toThrow();
    expect(() => checkAccess(token([], []), { allowedRoles: [], allowedGroups: [] })).not.toThrow();
    expect(() =>
      checkAccess(token(['Other'], ['g2']), { allowedRoles: ['AOC.Reader'], allowedGroups: ['g1'] }),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('fails closed on group overage unless a role grants access', () => {
    const policy = { allowedRoles: ['AOC.Reader'], allowedGroups: ['g1'] };
    expect(() => checkAccess(token([], [], true), policy)).toThrow(/too many/);
    expect(() => checkAccess(token(['AOC.Reader'], [], true), policy)).not.toThrow();
  });
});
