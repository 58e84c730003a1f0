import { routePath } from 'hono/route';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '@aoc/core';
import type { AppEnv } from '../app-env.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One log line per request, tied to the request id the client sees: changes (anything but GET/HEAD/OPTIONS)
 * at info with the caller's tid/oid, for an audit trail of who did what; reads at debug.
 */
export function accessLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    const identity = c.get('identity');
    const entry = {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: routePath(c),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(identity ? { caller: { tid: identity.tenantId, oid: identity.objectId } } : {}),
    };
    if (READS.has(c.req.method)) log.debug(entry, 'request');
    else log.info(entry, 'request');
  };
}
