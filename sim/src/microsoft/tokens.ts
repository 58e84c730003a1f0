import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Audience = 'graph' | 'management';

export interface TokenClaims {
  aud: string;
  audience: Audience;
  tid: string;
  appid: string;
  iat: number;
  exp: number;
  jti: string;
}

export type TokenCheck =
  { ok: true; claims: TokenClaims } | { ok: false; reason: 'missing' | 'malformed' | 'expired' };

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Issues JWT-shaped access tokens (HS256 over a per-sim key) so clients can read `exp` like a real Entra token
 * while the sim verifies them without storing anything. Tokens of an earlier generation count as expired: that
 * is how a test makes every token issued so far expire mid-run, even under a frozen clock.
 */
export function createTokenService(clock: () => Date) {
  const key = randomBytes(32);
  let generation = 0;
  let lifetimeSeconds = 3599;
  const sign = (data: string): string => createHmac('sha256', key).update(data).digest('base64url');
  return {
    get lifetimeSeconds(): number {
      return lifetimeSeconds;
    },
    setLifetime(seconds: number): void {
      lifetimeSeconds = seconds;
    },
    expireAll(): void {
      generation += 1;
    },
    issue(claims: { aud: string; audience: Audience; tid: string; appid: string }): {
      token: string;
      expiresIn: number;
    } {
      const nowMs = clock().getTime();
      const body: TokenClaims & { gen: number } = {
        ...claims,
        iat: Math.floor(nowMs / 1000),
        gen: generation,
        exp: Math.floor(nowMs / 1000) + lifetimeSeconds,
        jti: randomBytes(8).toString('hex'),
      };
      const unsigned = `${b64({ typ: 'JWT', alg: 'HS256', kid: 'sim' })}.${b64(body)}`;
      return { token: `${unsigned}.${sign(unsigned)}`, expiresIn: lifetimeSeconds };
    },
    verify(header: string | undefined): TokenCheck {
      if (!header) return { ok: false, reason: 'missing' };
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const parts = m?.[1]?.split('.') ?? [];
      const [head, payload, signature] = parts;
      if (parts.length !== 3 || !head || !payload || !signature) return { ok: false, reason: 'malformed' };
      const expected = Buffer.from(sign(`${head}.${payload}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given))
        return { ok: false, reason: 'malformed' };
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as TokenClaims & {
        gen: number;
      };
      const nowMs = clock().getTime();
      if (claims.exp * 1000 <= nowMs || claims.gen < generation) return { ok: false, reason: 'expired' };
      return { ok: true, claims };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
