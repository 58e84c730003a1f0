import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';

/** What the console reads before sign-in: MSAL settings (nothing secret) and feature flags. */
export function configRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const { config } = deps;
  const app = new Hono<AppEnv>();

  app.get('/config/auth', (c) => {
    const { enabled, tenantId, clientId } = config.auth;
    // `auth_enabled` is the original service's name for the flag; both are sent.
    if (!enabled || !tenantId || !clientId) return c.json({ enabled: false, auth_enabled: false });
    return c.json({
      enabled: true,
      auth_enabled: true,
      tenant_id: tenantId,
      client_id: clientId,
      login_base_url: config.microsoft.loginBaseUrl,
      authority: `${config.microsoft.loginBaseUrl}/${tenantId}`,
      // `.default` asks for what the tenant consented to for our app: the same scope MCP clients are told.
      scopes: [`api://${clientId}/.default`],
      known_authorities: [new URL(config.microsoft.loginBaseUrl).host],
    });
  });

  app.get('/config/features', (c) =>
    c.json({ ai_features_enabled: config.ai.enabled, demo_tenant: deps.demoTenant, version: deps.version }),
  );

  app.get('/version', (c) => c.json({ version: deps.version }));

  return app;
}
