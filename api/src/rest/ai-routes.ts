import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { EventId, NotFoundError } from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { jsonBody } from './request-input.js';

/**
 * `POST /api/ask` and `POST /api/events/{id}/explain`: each parses its input with core's schema (inside the
 * verb) and calls one `core.ai` verb. With AI_FEATURES_ENABLED=false both answer 404 before spending the
 * caller's AI rate budget.
 */
export function aiRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const { core } = deps;
  const app = new Hono<AppEnv>();
  const enabled: MiddlewareHandler<AppEnv> = async function aiEnabled(_c, next) {
    if (!core.ai.enabled) throw new NotFoundError('AI features are disabled (AI_FEATURES_ENABLED=false)');
    await next();
  };
  const limited = rateLimit(deps.limiters.ai, deps.rateKeyOf);

  app.post('/ask', enabled, limited, async (c) => c.json(await core.ai.ask(await jsonBody(c))));

  app.post('/events/:id/explain', enabled, limited, async (c) =>
    c.json(await core.ai.explain(EventId.parse(c.req.param('id')))),
  );

  return app;
}
