import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';

/** What the console reads before sign-in: MSAL settings (nothing secret) and feature flags. */
export function configRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const { config } = deps;
  const app = new Hono<AppEnv>();

  app.get('/config/auth', (c) => {
    const { enabled, tenantId, clientId } = config.auth;
    if (!enabled || !tenantId || !clientId) return c.json({ enabled: false });
    return c.json({
      enabled: true,
      tenant_id: tenantId,
      client_id: clientId,
      authority: `${config.microsoft.loginBaseUrl}/${tenantId}`,
      scopes: [`api://${clientId}/access_as_user`],
      known_authorities: [new URL(config.microsoft.loginBaseUrl).host],
    });
  });

  app.get('/config/features', (c) =>
    c.json({ ai_features_enabled: config.ai.enabled, demo_tenant: deps.demoTenant, version: deps.version }),
  );

  app.get('/version', (c) => c.json({ version: deps.version }));

  return app;
}
