import { graphError } from '../error-bodies.js';
import {
  INVALID_JSON,
  isRecord,
  parseJsonBody,
  type Route,
  type SimRequest,
  type SimResponse,
} from '../http.js';
import type { TokenService } from '../tokens.js';
import { authorizeGraph } from './auth.js';

const MAX_REQUESTS = 20;

/** Runs one sub-request the way a top-level request runs (faults, routes, log); `itemId` tags the log entry. */
export type RunItem = (req: SimRequest, itemId: string) => Promise<SimResponse | 'reset'>;

/**
 * `POST /v1.0/$batch` (concepts/json-batching.md): at most 20 requests, each answered on its own, so one item can
 * be throttled (429 with Retry-After) while others succeed; an item whose `dependsOn` failed gets 424.
 */
export function graphBatchRoute(deps: { tokens: TokenService; origin: () => string; run: RunItem }): Route {
  return async (req) => {
    if (req.url.pathname !== '/v1.0/$batch') return undefined;
    if (req.method !== 'POST')
      return graphError(405, 'Request_BadRequest', `The HTTP method '${req.method}' is not allowed.`);
    const auth = authorizeGraph(req, deps.tokens);
    if (!auth.ok) return auth.response;
    const body = parseJsonBody(req);
    if (body === INVALID_JSON || !isRecord(body) || !Array.isArray(body.requests)) {
      return graphError(400, 'BadRequest', 'Invalid batch payload format.');
    }
    const items = body.requests as unknown[];
    if (items.length > MAX_REQUESTS)
      return graphError(400, 'BadRequest', `Limit of ${MAX_REQUESTS} requests per batch exceeded.`);
    const statuses = new Map<string, number>();
    const responses: Array<Record<string, unknown>> = [];
    for (const item of items) {
      if (
        !isRecord(item) ||
        typeof item.id !== 'string' ||
        typeof item.method !== 'string' ||
        typeof item.url !== 'string'
      ) {
        return graphError(400, 'BadRequest', 'Invalid batch payload format.');
      }
      const dependsOn = Array.isArray(item.dependsOn) ? item.dependsOn.map(String) : [];
      let response: SimResponse;
      if (dependsOn.some((dep) => (statuses.get(dep) ?? 424) >= 400)) {
        response = graphError(
          424,
          'FailedDependency',
          'The request could not be completed because of a failed dependency.',
        );
      } else {
        const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
        const headers: Record<string, string | undefined> = { authorization: req.headers.authorization };
        if (isRecord(item.headers))
          for (const [name, value] of Object.entries(item.headers))
            headers[name.toLowerCase()] = String(value);
        const sub: SimRequest = {
          method: item.method.toUpperCase(),
          url: new URL(`/v1.0${relative}`, deps.origin()),
          headers,
          body: item.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(item.body)),
        };
        const result = await deps.run(sub, item.id);
        response =
          result === 'reset'
            ? graphError(
                503,
                'ServiceNotAvailable',
                'The service is temporarily unavailable. Please retry later.',
              )
            : result;
      }
      statuses.set(item.id, response.status);
      responses.push({
        id: item.id,
        status: response.status,
        headers: response.headers ?? {},
        body: response.body,
      });
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { responses },
    };
  };
}
