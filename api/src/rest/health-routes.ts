import { Hono } from 'hono';
import type { AppEnv, SocketAddressOf } from '../app-env.js';
import { clientAddress, createAddressMatcher } from '../middleware/client-address.js';
import type { Metrics } from '../middleware/metrics.js';
import type { SurfaceDeps } from '../deps.js';

export interface HealthDeps {
  metrics: Metrics;
  socketAddressOf: SocketAddressOf;
  /** True once shutdown began: readiness turns 503 so load balancers stop sending traffic. */
  isShuttingDown: () => boolean;
  startedAt: number;
}

/** `/health` (DB, version, uptime; 503 when the DB is down or the server is stopping) and `/metrics` (allowlisted). */
export function healthRoutes(deps: SurfaceDeps, health: HealthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const allowed = createAddressMatcher(deps.config.server.metricsAllowedIps);

  app.get('/health', async (c) => {
    const { db } = await deps.core.health().catch(() => ({ db: 'down' as const }));
    const stopping = health.isShuttingDown();
    const status = stopping ? 'stopping' : db === 'up' ? 'ok' : 'degraded';
    return c.json(
      {
        status,
        version: deps.version,
        uptime_seconds: Math.round((Date.now() - health.startedAt) / 1000),
        db,
        demo_tenant: deps.demoTenant,
      },
      status === 'ok' ? 200 : 503,
    );
  });

  app.get('/metrics', async (c) => {
    const address = clientAddress(c, health.socketAddressOf, deps.config.server.trustProxy);
    if (!allowed(address)) {
      return c.json(
        { error: { code: 'FORBIDDEN', message: 'Metrics are not available from this address' } },
        403,
      );
    }
    const body = await health.metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': health.metrics.registry.contentType });
  });

  return app;
}
