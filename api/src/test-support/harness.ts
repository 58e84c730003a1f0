import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { startMicrosoftSim, startOidcSim } from '@aoc/sim';
import type { MintOptions } from '@aoc/sim';
import type { TestDatabase } from '@aoc/sim/testing';
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import { mountMcp } from '@aoc/mcp';
import type { Config, Core } from '@aoc/core';
import { createApp } from '../app.js';
import type { AppOptions } from '../app.js';
import { createTokenVerifier } from '../auth/verify-token.js';

export interface HarnessOptions {
  /** Turn on Entra auth against the sim OIDC issuer (roles: AOC.Reader). */
  auth?: boolean;
  /** Extra environment variables for `loadConfig`. */
  env?: Record<string, string>;
  /** Events in the sim tenant (default 200). */
  events?: number;
  app?: Partial<AppOptions>;
  /** Mount the mcp package's HTTP transports at /mcp. */
  mcp?: boolean;
}

/** The app on an ephemeral 127.0.0.1 port over the sim database, Microsoft cloud and OIDC issuer. */
export interface Harness {
  url: string;
  core: Core;
  config: Config;
  cloud: Awaited<ReturnType<typeof startMicrosoftSim>>;
  oidc: Awaited<ReturnType<typeof startOidcSim>>;
  app: ReturnType<typeof createApp>;
  /** A token from the sim issuer for our API (valid unless the options break it). */
  token(options?: MintOptions): Promise<string>;
  /** `fetch` against the app, with a bearer token when `token` is given. */
  request(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(database: TestDatabase, options: HarnessOptions = {}): Promise<Harness> {
  const cloud = await startMicrosoftSim({ events: options.events ?? 200 });
  const oidc = await startOidcSim();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    LOGIN_BASE_URL: cloud.urls.login,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
    ...(options.auth
      ? {
          AUTH_ENABLED: 'true',
          AUTH_TENANT_ID: oidc.tenantId,
          AUTH_CLIENT_ID: oidc.clientId,
          AUTH_ALLOWED_ROLES: 'AOC.Reader',
          AUTH_ALLOWED_GROUPS: '0c0c0c0c-1111-2222-3333-444444444444',
        }
      : {}),
    ...options.env,
  });
  const log = silentLogger();
  const core = await createCore(config, { log, mongoClient: database.client });
  // Ingestion logs in at the sim cloud and users sign in at the sim issuer: two origins where production has
  // one LOGIN_BASE_URL, so the verifier is built here against the issuer.
  const verifier = options.auth
    ? createTokenVerifier({
        loginBaseUrl: oidc.issuerOrigin,
        tenantId: oidc.tenantId,
        clientId: oidc.clientId,
        log,
      })
    : undefined;
  const mcp = options.mcp ? mountMcp(core) : undefined;
  const app = createApp(core, config, {
    socketAddressOf: (c) => getConnInfo(c).remote.address,
    rateLimits: { fetchPerMinute: 1000, exportPerMinute: 1000, aiPerMinute: 1000 },
    ...(verifier ? { verifier } : {}),
    ...(mcp ? { mcp } : {}),
    ...options.app,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    core,
    config,
    cloud,
    oidc,
    app,
    token: (mint) => oidc.mintToken(mint),
    request: (path, init = {}) => {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(`${url}${path}`, { ...rest, headers });
    },
    async close() {
      await mcp?.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
      await cloud.stop();
      await oidc.stop();
    },
  };
}
