import { Hono } from 'hono';
import type { Config } from '@aoc/core';

/** The web-standard Hono app: no Node APIs here, so it runs on Node, Deno and Bun alike. */
export function createApp(config: Config): Hono {
  const app = new Hono();
  const startedAt = Date.now();
  app.get('/health', (c) =>
    c.json({ status: 'ok', env: config.env, uptime_seconds: Math.round((Date.now() - startedAt) / 1000) }),
  );
  return app;
}
