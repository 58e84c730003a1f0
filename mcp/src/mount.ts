import type { Core } from '@aoc/core';
import { createMcpHttpHandler } from './http/handler.js';
import type { McpHttpHandler, McpHttpOptions } from './http/handler.js';

/**
 * The HTTP handler with the API's settings (`core.config`): browser origins from `CORS_ORIGINS`, same-origin
 * browser calls only when auth is on, protected-resource metadata naming the Entra tenant when auth is on,
 * forwarded headers when `TRUST_PROXY`, no sessions when `MCP_STATELESS`. `overrides` win.
 * This is what the API mounts at `/mcp`.
 */
export function mountMcp(core: Core, overrides: Partial<McpHttpOptions> = {}): McpHttpHandler {
  const { auth, server, microsoft } = core.config;
  const resourceMetadata =
    auth.enabled && auth.tenantId && auth.clientId
      ? { loginBaseUrl: microsoft.loginBaseUrl, tenantId: auth.tenantId, clientId: auth.clientId }
      : undefined;
  return createMcpHttpHandler(core, {
    origins: { allowedOrigins: server.corsOrigins, allowSameOrigin: auth.enabled },
    trustProxy: server.trustProxy,
    stateless: core.config.mcp.stateless,
    ...(resourceMetadata ? { resourceMetadata } : {}),
    ...overrides,
  });
}
