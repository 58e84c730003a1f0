import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { invalidTenant, openidConfiguration } from './discovery.js';
import { createKeyRing } from './keys.js';
import { mintToken, type MintOptions } from './mint.js';

/** Options of {@link startOidcSim}. */
export interface OidcSimOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  tenantId?: string;
  /** The API's application (client) id: the audience of default tokens. */
  clientId?: string;
  /**
   * Origin of v1 issuers, default `https://sts.windows.net` (v1 tokens say `iss: https://sts.windows.net/{tid}/`).
   * That host cannot be simulated, but validators only compare the string, so the default is the real one.
   */
  v1IssuerBase?: string;
  /** Clock in milliseconds since the epoch, for token times. */
  now?: () => number;
}

/** A running Entra-like OIDC issuer. */
export interface OidcSim {
  /** Use as `LOGIN_BASE_URL`: discovery lives at `{issuerOrigin}/{tenant}/v2.0/.well-known/openid-configuration`. */
  issuerOrigin: string;
  tenantId: string;
  clientId: string;
  /** The v2 issuer, `{issuerOrigin}/{tenantId}/v2.0`. */
  issuer: string;
  /** The v1 issuer, `https://sts.windows.net/{tenantId}/` unless `v1IssuerBase` says otherwise. */
  v1Issuer: string;
  /** The v2 JWKS URL, `{issuerOrigin}/{tenantId}/discovery/v2.0/keys`. */
  jwksUri: string;
  /** How many JWKS requests (v1 and v2 paths) arrived since start. */
  readonly jwksRequests: number;
  /** Kids currently published, newest (the signing key) first. */
  publishedKids(): string[];
  /** The signing key's public half, as JWK and SPKI PEM (what key-confusion attacks start from). */
  publicKey(): { jwk: JWK; pem: string };
  /** A signed JWT with Entra-like defaults; see {@link MintOptions}. */
  mintToken(options?: MintOptions): Promise<string>;
  /** Publishes and signs with a new key; the previous key stays published unless `keepPrevious` is false. */
  rotateKeys(options?: { keepPrevious?: boolean }): Promise<string>;
  /** While down, the JWKS endpoints answer 503. */
  setJwksDown(down: boolean): void;
  stop(): Promise<void>;
}

const ROUTE =
  /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|discovery\/v2\.0\/keys|discovery\/keys)$/;
// Entra serves the same documents for these aliases, with `{tenantid}` left as a placeholder in the issuer.
const MULTI_TENANT = new Set(['common', 'organizations']);

/** Starts an Entra-like OIDC issuer on 127.0.0.1: discovery documents (v1 and v2), JWKS, and a token minter. */
export async function startOidcSim(options: OidcSimOptions = {}): Promise<OidcSim> {
  const tenantId = options.tenantId ?? '4b2f1c7e-8a9d-4e3f-b6a1-0c5d7e9f2a31';
  const clientId = options.clientId ?? 'd3c1a2b4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
  const v1Base = options.v1IssuerBase ?? 'https://sts.windows.net';
  const now = options.now ?? Date.now;
  const keys = await createKeyRing();
  let jwksRequests = 0;
  let jwksDown = false;
  let origin = '';
  const v2IssuerOf = (tid: string) => `${origin}/${tid}/v2.0`;
  const v1IssuerOf = (tid: string) => `${v1Base}/${tid}/`;

  const server = createServer((req, res) => {
    const match = req.method === 'GET' ? ROUTE.exec(new URL(req.url ?? '/', origin).pathname) : null;
    const [, tenant, resource] = match ?? [];
    if (tenant === undefined || resource === undefined) return send(res, 404, { error: 'not_found' });
    if (tenant !== tenantId && !MULTI_TENANT.has(tenant)) return send(res, 400, invalidTenant(tenant));
    const issuerTenant = MULTI_TENANT.has(tenant) ? '{tenantid}' : tenantId;
    const ctx = { origin, tenant, v2Issuer: v2IssuerOf(issuerTenant), v1Issuer: v1IssuerOf(issuerTenant) };
    if (resource.endsWith('openid-configuration')) {
      return send(res, 200, openidConfiguration(resource.startsWith('v2.0') ? 'v2' : 'v1', ctx));
    }
    jwksRequests += 1;
    if (jwksDown) {
      return send(res, 503, {
        error: 'temporarily_unavailable',
        error_description: 'The service is temporarily unavailable.',
      });
    }
    const v2 = resource === 'discovery/v2.0/keys';
    const published = keys
      .published()
      .map((key) => (v2 ? { ...key.publicJwk, issuer: ctx.v2Issuer } : key.publicJwk));
    // Entra lets clients cache the key set for a day; rotation is found through an unknown `kid`.
    send(res, 200, { keys: published }, { 'cache-control': 'max-age=86400, private' });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mintContext = {
    keys,
    tenantId,
    clientId,
    now,
    issuerFor: (version: 1 | 2, tid: string) => (version === 1 ? v1IssuerOf(tid) : v2IssuerOf(tid)),
  };

  return {
    issuerOrigin: origin,
    tenantId,
    clientId,
    issuer: v2IssuerOf(tenantId),
    v1Issuer: v1IssuerOf(tenantId),
    jwksUri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    get jwksRequests() {
      return jwksRequests;
    },
    publishedKids: () => keys.published().map((key) => key.kid),
    publicKey: () => ({ jwk: keys.active().publicJwk, pem: keys.active().publicPem }),
    mintToken: (mintOptions) => mintToken(mintContext, mintOptions),
    rotateKeys: async (rotation) => (await keys.rotate(rotation?.keepPrevious ?? true)).kid,
    setJwksDown: (down) => {
      jwksDown = down;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
