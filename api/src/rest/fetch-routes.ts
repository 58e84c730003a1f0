import { Hono } from 'hono';
import { FetchInput } from '@aoc/core';
import type { AppContext, AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { queryInput } from './request-input.js';

/**
 * The original's query form (`?hours=N&source=a,b`) turned into core's fetch input. Numbers stay strings when
 * they are not numbers, so core's schema reports them as the bad field.
 */
function fetchRequest(c: AppContext): { hours?: unknown; sources?: unknown } {
  const query = queryInput(c);
  const hours = query.hours;
  const source = query.source ?? query.sources;
  const request: { hours?: unknown; sources?: unknown } = {};
  if (typeof hours === 'string' && hours.trim() !== '') {
    request.hours = /^\s*\d+(\.\d+)?\s*$/.test(hours) ? Number(hours) : hours;
  } else if (hours !== undefined) {
    request.hours = hours;
  }
  if (source !== undefined) {
    request.sources = (Array.isArray(source) ? source : [source])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return request;
}

/** `/api/fetch-audit-logs` (GET kept for the original's callers, POST for new ones) and `/api/source-health`. */
export function fetchRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const run = async (c: AppContext) => {
    const result = await deps.fetchRunner.run(FetchInput.parse(fetchRequest(c)), {
      signal: deps.shutdownSignal,
    });
    return c.json(result);
  };
  const limit = rateLimit(deps.limiters.fetch, deps.rateKeyOf);
  app.get('/fetch-audit-logs', limit, run);
  app.post('/fetch-audit-logs', limit, run);
  app.get('/source-health', async (c) => c.json(await deps.core.ingest.sourceHealth()));
  return app;
}
