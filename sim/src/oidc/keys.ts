import {
  calculateJwkThumbprint,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type CryptoKey,
  type JWK,
} from 'jose';

/** One RS256 signing key: the private half signs, the public half is published in the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The public key as SPKI PEM: what the classic HS256 key-confusion attack uses as its HMAC secret. */
  publicPem: string;
}

/** Generates an RS256 key whose `kid` (and `x5t`, as Entra sets both) is derived from its public key. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  // Entra's kid is a 27-character base64url thumbprint; a truncated JWK thumbprint has the same look.
  const kid = (await calculateJwkThumbprint(jwk)).slice(0, 27);
  return {
    kid,
    privateKey,
    publicJwk: { kty: jwk.kty, use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e },
    publicPem: await exportSPKI(publicKey),
  };
}

/**
 * The published keys, newest first; the first one signs. Rotation adds a new signing key and, like Entra's
 * overlap period, keeps the previous one published unless asked to retire it.
 */
export async function createKeyRing() {
  let keys: SigningKey[] = [await generateSigningKey()];
  return {
    active(): SigningKey {
      const [first] = keys;
      if (first === undefined) throw new Error('key ring is empty');
      return first;
    },
    published(): readonly SigningKey[] {
      return keys;
    },
    async rotate(keepPrevious: boolean): Promise<SigningKey> {
      const next = await generateSigningKey();
      keys = keepPrevious ? [next, ...keys.slice(0, 1)] : [next];
      return next;
    },
  };
}

/** A key ring as {@link createKeyRing} returns it. */
export type KeyRing = Awaited<ReturnType<typeof createKeyRing>>;
