import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';

const API_PREFIXES = ['/api/', '/trpc/', '/mcp', '/metrics', '/health', '/openapi.json'];

/**
 * Serve the built console from `dir`: files as they are (hashed assets cached for a year), and `index.html`
 * for any other GET that is not an API path, so client-side routes survive a reload. Returns false when the
 * console has not been built.
 */
export function serveConsole(app: Hono<AppEnv>, dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.get('/*', serveStatic({ root: dir }));
  app.get('/*', async (c) => {
    if (API_PREFIXES.some((prefix) => c.req.path.startsWith(prefix))) return c.notFound();
    return c.html(await readFile(index, 'utf8'), 200, { 'Cache-Control': 'no-cache' });
  });
  return true;
}
