import { graphError } from '../error-bodies.js';
import { GRAPH_JSON, INVALID_JSON, isRecord, parseJsonBody, type Route, type SimResponse } from '../http.js';
import type { DirectoryObject, Tenant } from '../tenant.js';
import type { TokenService } from '../tokens.js';
import { authorizeGraph } from './auth.js';

const MAX_IDS = 1000;
const COLLECTION_KIND: Record<string, DirectoryObject['kind'] | undefined> = {
  users: 'user',
  groups: 'group',
  devices: 'device',
  servicePrincipals: 'servicePrincipal',
  directoryRoles: 'directoryRole',
  directoryObjects: undefined,
};
const TYPES = new Set([
  'user',
  'group',
  'device',
  'serviceprincipal',
  'directoryrole',
  'application',
  'orgcontact',
]);

function represent(object: DirectoryObject): Record<string, unknown> {
  return {
    '@odata.type': `#microsoft.graph.${object.kind}`,
    id: object.id,
    displayName: object.displayName,
    ...object.extra,
  };
}

/**
 * Name resolution: `POST /v1.0/directoryObjects/getByIds` (at most 1,000 ids, optional `types`; unknown ids are
 * left out) and `GET /v1.0/{users|groups|devices|servicePrincipals|directoryRoles|directoryObjects}/{id}`.
 */
export function graphObjectsRoute(deps: {
  tenant: Tenant;
  tokens: TokenService;
  origin: () => string;
}): Route {
  const { tenant } = deps;
  const byUpn = new Map(tenant.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
  return (req) => {
    const path = req.url.pathname;
    if (path === '/v1.0/directoryObjects/getByIds') {
      const auth = authorizeGraph(req, deps.tokens);
      if (!auth.ok) return auth.response;
      if (req.method !== 'POST')
        return graphError(405, 'Request_BadRequest', `The HTTP method '${req.method}' is not allowed.`);
      return getByIds(parseJsonBody(req), tenant, deps.origin());
    }
    const m =
      /^\/v1\.0\/(users|groups|devices|servicePrincipals|directoryRoles|directoryObjects)\/([^/]+)$/.exec(
        path,
      );
    if (!m || req.method !== 'GET') return undefined;
    const auth = authorizeGraph(req, deps.tokens);
    if (!auth.ok) return auth.response;
    const [, collection = '', rawId = ''] = m;
    const id = decodeURIComponent(rawId);
    const object =
      tenant.byId.get(id.toLowerCase()) ?? (collection === 'users' ? byUpn.get(id.toLowerCase()) : undefined);
    const kind = COLLECTION_KIND[collection];
    if (!object || (kind !== undefined && object.kind !== kind)) {
      return graphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    return {
      status: 200,
      headers: { 'content-type': GRAPH_JSON },
      body: {
        '@odata.context': `${deps.origin()}/v1.0/$metadata#${collection}/$entity`,
        ...represent(object),
      },
    };
  };
}

function getByIds(body: unknown, tenant: Tenant, origin: string): SimResponse {
  if (body === INVALID_JSON || !isRecord(body))
    return graphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  const { ids, types } = body;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
    return graphError(
      400,
      'Request_BadRequest',
      "Invalid value specified for property 'ids' of resource 'directoryObject'.",
    );
  }
  if (ids.length > MAX_IDS) {
    return graphError(
      400,
      'Request_BadRequest',
      `The number of ids (${ids.length}) exceeds the maximum of ${MAX_IDS}.`,
    );
  }
  let allowed: Set<string> | undefined;
  if (types !== undefined) {
    if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !TYPES.has(t.toLowerCase()))) {
      return graphError(
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'types' of resource 'directoryObject'.",
      );
    }
    allowed = new Set(types.map((t) => String(t).toLowerCase()));
  }
  const value: Array<Record<string, unknown>> = [];
  for (const id of ids as string[]) {
    const object = tenant.byId.get(id.toLowerCase());
    if (object && (!allowed || allowed.has(object.kind.toLowerCase()))) value.push(represent(object));
  }
  return {
    status: 200,
    headers: { 'content-type': GRAPH_JSON },
    body: { '@odata.context': `${origin}/v1.0/$metadata#directoryObjects`, value },
  };
}
