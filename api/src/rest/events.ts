import { Hono } from 'hono';
import { AddCommentInput, EventId, SetTagsInput } from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import type { SurfaceDeps } from '../deps.js';
import { jsonBody, queryInput } from './request-input.js';
import { authorOf } from './author.js';
import { rateLimit } from '../middleware/rate-limit.js';
import { toByteStream } from './byte-stream.js';

/** `/api/events…` and `/api/filter-options`: each handler parses with core's schema and calls one core verb. */
export function eventRoutes(deps: SurfaceDeps): Hono<AppEnv> {
  const { core } = deps;
  const app = new Hono<AppEnv>();

  app.get('/events', async (c) => c.json(await core.events.search(queryInput(c))));

  app.get('/events/export', rateLimit(deps.limiters.export, deps.rateKeyOf), (c) => {
    const exported = core.events.export(queryInput(c));
    return new Response(toByteStream(exported), {
      headers: {
        'content-type': exported.contentType,
        'content-disposition': `attachment; filename="${exported.filename}"`,
        'cache-control': 'no-store',
      },
    });
  });

  app.get('/events/:id', async (c) => c.json(await core.events.get(EventId.parse(c.req.param('id')))));

  app.patch('/events/:id/tags', async (c) => {
    const { tags } = SetTagsInput.parse(await jsonBody(c));
    return c.json(await core.events.setTags(EventId.parse(c.req.param('id')), tags));
  });

  app.post('/events/:id/comments', async (c) => {
    const body = await jsonBody(c);
    const input = AddCommentInput.parse({ author: authorOf(c, body.author), text: body.text });
    return c.json(await core.events.addComment(EventId.parse(c.req.param('id')), input), 201);
  });

  app.get('/filter-options', async (c) => c.json(await core.events.filterOptions()));

  return app;
}
