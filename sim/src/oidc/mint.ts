import { base64url, SignJWT, type JWTPayload } from 'jose';
import { defaultClaims } from './claims.js';
import type { KeyRing, SigningKey } from './keys.js';

/** Algorithms {@link mintToken} can produce; `none` and `HS256` exist to build attacks. */
export type MintAlg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'HS256' | 'none';

/** Options of `OidcSim.mintToken`; every field has an Entra-like default. */
export interface MintOptions {
  /** Merged over the defaults; a claim set to `undefined` is removed. */
  claims?: Record<string, unknown>;
  /** The `kid` header; by default the active key's. A kid that is not published yields an unverifiable token. */
  kid?: string;
  alg?: MintAlg;
  /** Seconds from now until `exp` (default 3600; negative for an expired token). */
  expiresIn?: number;
  /** Seconds from now until `nbf` (default 0; positive for a token not yet valid). */
  notBefore?: number;
  /** 2 (default): issuer `{origin}/{tid}/v2.0`; 1: the v1 issuer `https://sts.windows.net/{tid}/`. */
  issuerVersion?: 1 | 2;
  /** The `aud` claim; default the API's client id. */
  audience?: string | string[];
  /** The `iss` claim; default the sim's issuer for the version and tenant. */
  issuer?: string;
  /** The `tid` claim and the tenant in the default issuer; default the sim's tenant. */
  tenantId?: string;
  /** Extra protected-header parameters (e.g. Graph's `nonce`). */
  header?: Record<string, unknown>;
  /** Signing key to use instead of the active one (e.g. a key that is not published). */
  signingKey?: SigningKey;
  /** The HMAC secret for `HS256`; default the active public key's PEM, the key-confusion attack. */
  hmacSecret?: Uint8Array;
}

/** What minting needs from the running simulator. */
export interface MintContext {
  keys: KeyRing;
  tenantId: string;
  clientId: string;
  issuerFor(version: 1 | 2, tenantId: string): string;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Mints a JWT the way Entra would, or a deliberately broken variant when the options say so. */
export async function mintToken(ctx: MintContext, options: MintOptions = {}): Promise<string> {
  const version = options.issuerVersion ?? 2;
  const tenantId = options.tenantId ?? ctx.tenantId;
  const defaults = defaultClaims({
    version,
    issuer: options.issuer ?? ctx.issuerFor(version, tenantId),
    audience: options.audience ?? ctx.clientId,
    tenantId,
    clientId: ctx.clientId,
    now: Math.floor(ctx.now() / 1000),
    expiresIn: options.expiresIn ?? 3600,
    notBefore: options.notBefore ?? 0,
  });
  const payload = Object.fromEntries(
    Object.entries({ ...defaults, ...options.claims }).filter(([, value]) => value !== undefined),
  ) as JWTPayload;
  const key = options.signingKey ?? ctx.keys.active();
  const alg = options.alg ?? 'RS256';
  const header = { typ: 'JWT', x5t: key.kid, kid: options.kid ?? key.kid, ...options.header, alg };
  if (alg === 'none') {
    const encode = (part: object) => base64url.encode(JSON.stringify(part));
    return `${encode(header)}.${encode(payload)}.`;
  }
  const secret =
    alg === 'HS256' ? (options.hmacSecret ?? new TextEncoder().encode(key.publicPem)) : key.privateKey;
  return new SignJWT(payload).setProtectedHeader(header).sign(secret);
}

/** Replaces a token's payload while keeping its header and original signature. */
export function tamperPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('not a JWS');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
  change(claims);
  return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
}
