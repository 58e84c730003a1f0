import type { ErrorHandler, NotFoundHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import { mapError } from './error-response.js';

/** Hono's `onError`: the REST surface's single error mapper. */
export function errorHandler(log: Logger): ErrorHandler<AppEnv> {
  return function handleError(error, c) {
    const requestId = c.get('requestId');
    const mapped = mapError(error, requestId);
    if (mapped.unexpected) {
      log.error({ err: error, requestId, path: c.req.path, method: c.req.method }, 'request failed');
    }
    return c.json(mapped.body, mapped.status as ContentfulStatusCode);
  };
}

/** JSON 404 for every path no route claims. */
export const notFoundHandler: NotFoundHandler<AppEnv> = function handleNotFound(c) {
  return c.json({ error: { code: 'NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}` } }, 404);
};
