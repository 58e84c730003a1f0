export { createApp } from './app.js';
export type { AppOptions, RateLimits } from './app.js';
export type { AppRouter } from './trpc/app-router.js';
export type { McpHttpMount } from './mcp-mount.js';
export type { Identity } from './auth/identity.js';
export type { AppEnv, AppVariables, SocketAddressOf } from './app-env.js';
export { createMetrics } from './middleware/metrics.js';
export type { Metrics } from './middleware/metrics.js';
