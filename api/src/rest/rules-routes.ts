import { Hono } from 'hono';
import { ListAlertsInput, RecordId, RuleInput } from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';
import { authorOf } from './author.js';
import { jsonBody, queryInput } from './request-input.js';

/**
 * Alert rules (`GET|POST /api/rules`, `PUT|DELETE /api/rules/{id}`) and the alerts they raised
 * (`GET /api/alerts`, `POST /api/alerts/{id}/acknowledge`); each handler parses with core's schema and calls
 * one `core.rules` / `core.alerts` verb.
 */
export function rulesRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const { core } = deps;
  const app = new Hono<AppEnv>();

  app.get('/rules', async (c) => c.json(await core.rules.list()));
  app.post('/rules', async (c) => c.json(await core.rules.create(RuleInput.parse(await jsonBody(c))), 201));
  app.put('/rules/:id', async (c) => {
    const id = RecordId.parse(c.req.param('id'));
    return c.json(await core.rules.update(id, RuleInput.parse(await jsonBody(c))));
  });
  app.delete('/rules/:id', async (c) => c.json(await core.rules.delete(RecordId.parse(c.req.param('id')))));

  app.get('/alerts', async (c) => c.json(await core.alerts.list(ListAlertsInput.parse(queryInput(c)))));
  app.post('/alerts/:id/acknowledge', async (c) => {
    const by = authorOf(c, undefined);
    return c.json(await core.alerts.acknowledge(RecordId.parse(c.req.param('id')), String(by)));
  });

  return app;
}
