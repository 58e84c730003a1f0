import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER } from './claims.js';
import { startOidcSim, type OidcSim } from './server.js';

let sim: OidcSim;
beforeAll(async () => {
  sim = await startOidcSim({ tenantId: 'tenant-1', clientId: 'api-client-1' });
});
afterAll(() => sim.stop());

const getJson = async (url: string) => {
  const response = await fetch(url);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

describe('OIDC simulator: discovery and keys', () => {
  it('serves the v2 configuration with Entra issuer and JWKS paths', async () => {
    const { status, body } = await getJson(
      `${sim.issuerOrigin}/tenant-1/v2.0/.well-known/openid-configuration`,
    );
    expect(status).toBe(200);
    expect(body.issuer).toBe(`${sim.issuerOrigin}/tenant-1/v2.0`);
    expect(body.issuer).toBe(sim.issuer);
    expect(body.jwks_uri).toBe(`${sim.issuerOrigin}/tenant-1/discovery/v2.0/keys`);
    expect(body.token_endpoint).toBe(`${sim.issuerOrigin}/tenant-1/oauth2/v2.0/token`);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
  });

  it('serves the v1 configuration with the sts.windows.net issuer', async () => {
    const { body } = await getJson(`${sim.issuerOrigin}/tenant-1/.well-known/openid-configuration`);
    expect(body.issuer).toBe('https://sts.windows.net/tenant-1/');
    expect(body.jwks_uri).toBe(`${sim.issuerOrigin}/tenant-1/discovery/keys`);
  });

  it('keeps {tenantid} in the issuer for common, and answers AADSTS90002 for an unknown tenant', async () => {
    const common = await getJson(`${sim.issuerOrigin}/common/v2.0/.well-known/openid-configuration`);
    expect(common.body.issuer).toBe(`${sim.issuerOrigin}/{tenantid}/v2.0`);
    const unknown = await getJson(`${sim.issuerOrigin}/nobody/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    expect(String(unknown.body.error_description)).toMatch(/^AADSTS90002: Tenant 'nobody' not found/);
  });

  it('publishes RS256 keys with kid, cacheable for a day, on both JWKS paths', async () => {
    const v2 = await getJson(sim.jwksUri);
    const keys = v2.body.keys as JWK[];
    expect(keys.map((k) => k.kid)).toEqual(sim.publishedKids());
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', e: 'AQAB', issuer: sim.issuer });
    expect(keys[0]).not.toHaveProperty('d');
    expect(v2.headers.get('cache-control')).toBe('max-age=86400, private');
    const v1 = await getJson(`${sim.issuerOrigin}/tenant-1/discovery/keys`);
    expect((v1.body.keys as JWK[]).map((k) => k.kid)).toEqual(sim.publishedKids());
  });

  it('counts JWKS requests, and answers 503 while the JWKS is down', async () => {
    const before = sim.jwksRequests;
    const jwks = createRemoteJWKSet(new URL(sim.jwksUri));
    for (let i = 0; i < 5; i += 1) await jwtVerify(await sim.mintToken(), jwks);
    expect(sim.jwksRequests - before).toBe(1);
    sim.setJwksDown(true);
    try {
      expect((await fetch(sim.jwksUri)).status).toBe(503);
      await expect(
        jwtVerify(await sim.mintToken(), createRemoteJWKSet(new URL(sim.jwksUri))),
      ).rejects.toThrow();
    } finally {
      sim.setJwksDown(false);
    }
    await jwtVerify(await sim.mintToken(), createRemoteJWKSet(new URL(sim.jwksUri)));
    expect(sim.jwksRequests - before).toBe(4);
  });
});

describe('OIDC simulator: tokens', () => {
  const strict = () => ({ issuer: sim.issuer, audience: sim.clientId, algorithms: ['RS256'] });

  it('mints a v2 access token with Entra defaults that verifies against the JWKS', async () => {
    const token = await sim.mintToken();
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(sim.jwksUri)),
      strict(),
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: sim.publishedKids()[0] });
    expect(payload).toMatchObject({
      aud: 'api-client-1',
      iss: sim.issuer,
      tid: 'tenant-1',
      oid: DEFAULT_USER.oid,
      preferred_username: DEFAULT_USER.upn,
      name: DEFAULT_USER.name,
      roles: DEFAULT_USER.roles,
      groups: DEFAULT_USER.groups,
      scp: DEFAULT_USER.scp,
      ver: '2.0',
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('mints a v1 token with the sts.windows.net issuer, upn and unique_name', async () => {
    const token = await sim.mintToken({ issuerVersion: 1 });
    const jwks = createRemoteJWKSet(new URL(`${sim.issuerOrigin}/tenant-1/discovery/keys`));
    const { payload } = await jwtVerify(token, jwks, {
      ...strict(),
      issuer: 'https://sts.windows.net/tenant-1/',
    });
    expect(payload).toMatchObject({
      ver: '1.0',
      upn: DEFAULT_USER.upn,
      unique_name: DEFAULT_USER.upn,
      appid: 'api-client-1',
    });
    expect(payload).not.toHaveProperty('preferred_username');
  });

  it('merges claims, removes those set to undefined, and takes audience, issuer and times', async () => {
    const token = await sim.mintToken({
      claims: { roles: ['AOC.Admin'], groups: undefined },
      audience: 'api://api-client-1',
      expiresIn: 120,
    });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(sim.jwksUri)), {
      ...strict(),
      audience: 'api://api-client-1',
    });
    expect(payload.roles).toEqual(['AOC.Admin']);
    expect(payload).not.toHaveProperty('groups');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);
  });

  it('uses an injected clock and a configurable v1 issuer', async () => {
    const fixed = Date.UTC(2030, 0, 1);
    const other = await startOidcSim({ now: () => fixed, v1IssuerBase: 'http://127.0.0.1:1' });
    try {
      const token = await other.mintToken({ issuerVersion: 1 });
      const { payload } = await jwtVerify(
        token,
        createRemoteJWKSet(new URL(`${other.issuerOrigin}/${other.tenantId}/discovery/keys`)),
        {
          issuer: `http://127.0.0.1:1/${other.tenantId}/`,
          audience: other.clientId,
          currentDate: new Date(fixed),
        },
      );
      expect(payload.iat).toBe(fixed / 1000);
      expect(other.v1Issuer).toBe(`http://127.0.0.1:1/${other.tenantId}/`);
    } finally {
      await other.stop();
    }
  });

  it('rotates keys: the new key signs, the previous stays published until retired', async () => {
    const oldKid = sim.publishedKids()[0];
    const oldToken = await sim.mintToken();
    const newKid = await sim.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    expect(sim.publishedKids()).toEqual([newKid, oldKid]);
    const newToken = await sim.mintToken();
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid);
    const fresh = () => createRemoteJWKSet(new URL(sim.jwksUri));
    await jwtVerify(newToken, fresh(), strict());
    await jwtVerify(oldToken, fresh(), strict());
    await sim.rotateKeys({ keepPrevious: false });
    expect(sim.publishedKids()).toHaveLength(1);
    await expect(jwtVerify(oldToken, fresh(), strict())).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  });
});
