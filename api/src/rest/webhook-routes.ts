import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';

/**
 * Microsoft's change notifications: `POST /api/webhooks/graph` (Graph subscriptions) and
 * `POST /api/webhooks/management` (Management Activity API). Public by necessity — Microsoft sends no bearer
 * token — so core authenticates each notification itself (`clientState` / `Webhook-AuthId` against
 * `WEBHOOK_CLIENT_SECRET`) and answers validation handshakes.
 */
export function webhookRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/webhooks/graph', (c) => deps.core.ingest.handleGraphNotification(c.req.raw));
  app.post('/webhooks/management', (c) => deps.core.ingest.handleManagementNotification(c.req.raw));
  return app;
}
