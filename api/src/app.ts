import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { trpcServer } from '@hono/trpc-server';
import { ConfigError } from '@aoc/core';
import type { Config, Core } from '@aoc/core';
import type { AppContext, AppEnv, SocketAddressOf } from './app-env.js';
import { authMiddleware } from './auth/auth-middleware.js';
import { createTokenVerifier } from './auth/verify-token.js';
import type { TokenVerifier } from './auth/verify-token.js';
import type { Limiters, SurfaceDeps } from './deps.js';
import { createFetchRunner } from './fetch-runner.js';
import type { McpHttpMount } from './mcp-mount.js';
import { accessLog } from './middleware/access-log.js';
import { limitBody } from './middleware/body-limits.js';
import { clientAddress, publicOrigin } from './middleware/client-address.js';
import { corsPolicy } from './middleware/cors.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { mapError } from './middleware/error-response.js';
import { createMetrics } from './middleware/metrics.js';
import type { Metrics } from './middleware/metrics.js';
import { createRateLimiter } from './middleware/rate-limit.js';
import { registerSiemMetrics } from './middleware/siem-metrics.js';
import { securityHeaders } from './middleware/security-headers.js';
import { aiRoutes } from './rest/ai-routes.js';
import { configRoutes } from './rest/config-routes.js';
import { eventRoutes } from './rest/events.js';
import { fetchRoutes } from './rest/fetch-routes.js';
import { healthRoutes } from './rest/health-routes.js';
import { docsRoutes } from './rest/openapi.js';
import { rulesRoutes } from './rest/rules-routes.js';
import { webhookRoutes } from './rest/webhook-routes.js';
import { appRouter } from './trpc/app-router.js';
import type { TrpcContext } from './trpc/context.js';

/** Per-minute budgets of the expensive operations, per caller. */
export interface RateLimits {
  fetchPerMinute: number;
  exportPerMinute: number;
  aiPerMinute: number;
}

export interface AppOptions {
  /** Reported by `/health`, `/api/version` and the features endpoint. */
  version?: string;
  /** The runtime's socket peer address (Node: `getConnInfo`), for the `/metrics` allowlist and rate limits. */
  socketAddressOf?: SocketAddressOf;
  /** The MCP transports, mounted at `/mcp`, `/mcp/sse` and `/mcp/messages` behind the same auth. */
  mcp?: McpHttpMount;
  /** Share a registry with the scheduler so scheduled runs are counted too; a fresh one otherwise. */
  metrics?: Metrics;
  /** True when ingesting from the built-in demo tenant. */
  demoTenant?: boolean;
  /** Outbound fetch for OpenID discovery and JWKS (tests inject one). */
  fetch?: typeof fetch;
  /** A prepared token verifier (tests); by default one is built from `config.auth`. */
  verifier?: TokenVerifier;
  /** Readiness: `/health` answers 503 once this turns true. */
  isShuttingDown?: () => boolean;
  /** Aborted at shutdown: ends SSE subscriptions and in-flight fetches. */
  shutdownSignal?: AbortSignal;
  rateLimits?: Partial<RateLimits>;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Registers routes after the API's (the Node entry serves the console's files there). */
  extraRoutes?: (app: Hono<AppEnv>) => void;
}

/** Where the MCP mount serves its protected-resource metadata (RFC 9728 well-known path). */
export const MCP_METADATA_PATH = '/.well-known/oauth-protected-resource';

const DEFAULT_LIMITS: RateLimits = { fetchPerMinute: 6, exportPerMinute: 10, aiPerMinute: 20 };

/**
 * The AOC web app: REST, tRPC and (when given) MCP over one core, with auth, hardening and metrics. Uses only
 * web-standard `Request`/`Response`, so the same app runs on Node, Deno and Bun. Building it has no side
 * effects: no listening, no timers, no connections.
 */
export function createApp(core: Core, config: Config, options: AppOptions = {}): Hono<AppEnv> {
  const log = core.log;
  const version = options.version ?? '0.0.0';
  const socketAddressOf = options.socketAddressOf ?? (() => undefined);
  const metrics = options.metrics ?? createMetrics({ dbUp: async () => (await core.health()).db === 'up' });
  registerSiemMetrics(metrics.registry, () => core.siem.stats());
  const shutdownSignal = options.shutdownSignal ?? new AbortController().signal;
  const limits = { ...DEFAULT_LIMITS, ...options.rateLimits };
  const limiters: Limiters = {
    fetch: createRateLimiter({ limit: limits.fetchPerMinute, windowMs: 60_000 }),
    export: createRateLimiter({ limit: limits.exportPerMinute, windowMs: 60_000 }),
    ai: createRateLimiter({ limit: limits.aiPerMinute, windowMs: 60_000 }),
  };
  const rateKeyOf = (c: AppContext): string => {
    const identity = c.get('identity');
    if (identity) return `id:${identity.tenantId}:${identity.objectId}`;
    return `ip:${clientAddress(c, socketAddressOf, config.server.trustProxy) ?? 'unknown'}`;
  };
  const deps: SurfaceDeps = {
    core,
    config,
    fetchRunner: createFetchRunner(core, metrics),
    version,
    demoTenant: options.demoTenant ?? false,
    limiters,
    rateKeyOf,
    shutdownSignal,
  };

  const app = new Hono<AppEnv>();
  app.onError(errorHandler(log));
  app.notFound(notFoundHandler);
  app.use(requestId());
  app.use(metrics.middleware);
  app.use(accessLog(log));
  app.use(securityHeaders(config.microsoft.loginBaseUrl));
  app.use(corsPolicy(config.server.corsOrigins));
  app.use(limitBody(options.maxBodyBytes ?? 1024 * 1024));

  if (config.auth.enabled) {
    const { tenantId, clientId, allowedRoles, allowedGroups } = config.auth;
    if (!tenantId || !clientId)
      throw new ConfigError('AUTH_TENANT_ID and AUTH_CLIENT_ID are required when AUTH_ENABLED=true');
    if (allowedRoles.length === 0 && allowedGroups.length === 0) {
      log.warn(
        'AUTH_ENABLED without AUTH_ALLOWED_ROLES or AUTH_ALLOWED_GROUPS: any valid token of the tenant has access',
      );
    }
    const verifier =
      options.verifier ??
      createTokenVerifier({
        loginBaseUrl: config.microsoft.loginBaseUrl,
        tenantId,
        clientId,
        log,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    app.use(
      authMiddleware(verifier, { allowedRoles, allowedGroups }, log, {
        resourceMetadataFor: options.mcp
          ? (request) => `${publicOrigin(request, config.server.trustProxy)}${MCP_METADATA_PATH}/mcp`
          : undefined,
      }),
    );
  }

  app.route(
    '/',
    healthRoutes(deps, {
      metrics,
      socketAddressOf,
      isShuttingDown: options.isShuttingDown ?? (() => false),
      startedAt: Date.now(),
    }),
  );
  app.route('/api', configRoutes(deps));
  app.route('/api', eventRoutes(deps));
  app.route('/api', aiRoutes(deps));
  app.route('/api', fetchRoutes(deps));
  app.route('/api', webhookRoutes(deps));
  app.route('/api', rulesRoutes(deps));
  if (config.server.docsEnabled) app.route('/', docsRoutes(deps));

  app.use(
    '/trpc/*',
    trpcServer({
      router: appRouter,
      endpoint: '/trpc',
      createContext: (_opts, c): TrpcContext & Record<string, unknown> => ({
        core,
        config,
        fetchRunner: deps.fetchRunner,
        identity: (c as AppContext).get('identity'),
        requestId: (c as AppContext).get('requestId'),
        limiters,
        rateKey: rateKeyOf(c as AppContext),
        version,
        demoTenant: deps.demoTenant,
        shutdownSignal,
      }),
      onError: ({ error, path, ctx }) => {
        const requestIdOf = (ctx as TrpcContext | undefined)?.requestId;
        if (
          mapError(error.cause ?? error, requestIdOf).unexpected &&
          error.code === 'INTERNAL_SERVER_ERROR'
        ) {
          log.error({ err: error.cause ?? error, path, requestId: requestIdOf }, 'tRPC procedure failed');
        }
      },
    }),
  );

  if (options.mcp) {
    const mcp = options.mcp;
    const handle = (c: AppContext) => mcp.fetch(c.req.raw, { identity: c.get('identity') });
    app.all('/mcp', handle);
    app.all('/mcp/*', handle);
    // RFC 9728 metadata telling MCP clients where to sign in; public, like the rest of sign-in discovery.
    app.get(MCP_METADATA_PATH, handle);
    app.get(`${MCP_METADATA_PATH}/*`, handle);
  }

  options.extraRoutes?.(app);
  return app;
}
