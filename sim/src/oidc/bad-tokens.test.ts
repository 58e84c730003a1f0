import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_TOKEN_KINDS, badTokens, GRAPH_APP_ID, type BadToken, type BadTokenKind } from './bad-tokens.js';
import { startOidcSim, type OidcSim } from './server.js';

let sim: OidcSim;
let jwks: JWTVerifyGetKey;
let tokens: Map<BadTokenKind, BadToken>;
beforeAll(async () => {
  sim = await startOidcSim();
  jwks = createRemoteJWKSet(new URL(sim.jwksUri));
  tokens = new Map((await badTokens(sim)).map((bad) => [bad.kind, bad]));
});
afterAll(() => sim.stop());

// The options a careful API uses; `rejectedBy: 'verify'` promises these are enough to refuse the token.
const verify = (token: string) =>
  jwtVerify(token, jwks, { issuer: sim.issuer, audience: sim.clientId, algorithms: ['RS256'] });

describe('OIDC simulator: bad tokens', () => {
  it('enumerates every kind once', () => {
    expect([...tokens.keys()]).toEqual([...BAD_TOKEN_KINDS]);
  });

  it('a good token passes the same verification', async () => {
    await expect(verify(await sim.mintToken())).resolves.toBeDefined();
  });

  for (const kind of BAD_TOKEN_KINDS) {
    it(`${kind} is refused for its stated reason`, async () => {
      const bad = tokens.get(kind);
      if (bad === undefined) throw new Error(`missing ${kind}`);
      if (bad.rejectedBy === 'verify') {
        const error = await verify(bad.token).then(
          () => undefined,
          (e: unknown) => e as { code?: string; claim?: string },
        );
        expect(error?.code).toBe(bad.joseCode);
        if (bad.claim !== undefined) expect(error?.claim).toBe(bad.claim);
        return;
      }
      // Signature, issuer and audience hold: only the claim checks can refuse it.
      const { payload } = await verify(bad.token);
      expect(payload).not.toHaveProperty('roles');
      if (kind === 'id-token') {
        expect(payload).not.toHaveProperty('scp');
        expect(payload.nonce).toBeDefined();
      } else {
        expect(payload).not.toHaveProperty('groups');
        expect(payload._claim_names).toEqual({ groups: 'src1' });
      }
    });
  }

  it('shapes the attacks as described', () => {
    const token = (kind: BadTokenKind) => tokens.get(kind)?.token ?? '';
    expect(decodeProtectedHeader(token('alg-none')).alg).toBe('none');
    expect(token('alg-none').endsWith('.')).toBe(true);
    expect(decodeProtectedHeader(token('hs256-public-pem')).alg).toBe('HS256');
    expect(token('hs256-public-pem').split('.')[2]).not.toBe(token('hs256-public-jwk').split('.')[2]);
    expect(decodeProtectedHeader(token('graph-audience')).nonce).toBe('sim-graph-nonce');
    expect(JSON.parse(atob(token('graph-audience').split('.')[1] ?? '')).aud).toBe(GRAPH_APP_ID);
    expect(sim.publishedKids()).not.toContain(decodeProtectedHeader(token('unknown-kid')).kid);
  });
});
