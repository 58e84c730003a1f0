import { graphError } from '../error-bodies.js';
import { GRAPH_JSON, type Route, type SimRequest, type SimResponse } from '../http.js';
import type { Knobs } from '../knobs.js';
import {
  DIRECTORY_AUDIT_DIALECT,
  INTUNE_AUDIT_DIALECT,
  InvalidFilter,
  parseFilter,
  type FilterDialect,
} from '../odata-filter.js';
import type { AuditRecord } from '../records/context.js';
import type { GraphSource } from '../sources.js';
import type { TokenService } from '../tokens.js';
import type { EventKey, World } from '../world.js';
import { authorizeGraph } from './auth.js';

const MAX_TOP = 1000;

interface Collection {
  path: string;
  source: GraphSource;
  context: string;
  dialect: FilterDialect;
}

const COLLECTIONS: readonly Collection[] = [
  {
    path: '/v1.0/auditLogs/directoryAudits',
    source: 'directoryAudits',
    context: 'auditLogs/directoryAudits',
    dialect: DIRECTORY_AUDIT_DIALECT,
  },
  {
    path: '/v1.0/deviceManagement/auditEvents',
    source: 'intuneAuditEvents',
    context: 'deviceManagement/auditEvents',
    dialect: INTUNE_AUDIT_DIALECT,
  },
];

const encodeToken = (key: EventKey): string => Buffer.from(`${key.ticks}.${key.seq}`).toString('base64url');

function decodeToken(token: string): EventKey | undefined {
  const m = /^(-?\d+)\.(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return m ? { ticks: Number(m[1]), seq: Number(m[2]) } : undefined;
}

/**
 * Lists directory audits and Intune audit events, newest first unless `$orderby=activityDateTime asc`, in pages
 * linked by `@odata.nextLink`. The link carries a keyset position, so fetching it again returns the same page.
 */
export function graphAuditsRoute(deps: {
  world: World;
  tokens: TokenService;
  knobs: Knobs;
  origin: () => string;
}): Route {
  return (req) => {
    const collection = COLLECTIONS.find((c) => c.path === req.url.pathname);
    if (!collection) return undefined;
    if (req.method !== 'GET')
      return graphError(405, 'Request_BadRequest', `The HTTP method '${req.method}' is not allowed.`);
    const auth = authorizeGraph(req, deps.tokens);
    if (!auth.ok) return auth.response;
    return listPage(req, collection, deps);
  };
}

function listPage(
  req: SimRequest,
  collection: Collection,
  deps: { world: World; knobs: Knobs; origin: () => string },
): SimResponse {
  const { world, knobs } = deps;
  const query = req.url.searchParams;
  let filter;
  try {
    filter = parseFilter(query.get('$filter'), collection.dialect, world.startMs);
  } catch (error) {
    if (error instanceof InvalidFilter) return graphError(400, 'BadRequest', 'Invalid filter clause');
    throw error;
  }
  const topText = query.get('$top');
  const top = topText === null ? knobs.graphPageSize : Number(topText);
  if (!Number.isInteger(top) || top < 1)
    return graphError(400, 'BadRequest', `Invalid page size specified: '${topText}'.`);
  const orderBy = (query.get('$orderby') ?? 'activityDateTime desc')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
  if (!['activitydatetime', 'activitydatetime asc', 'activitydatetime desc'].includes(orderBy)) {
    return graphError(400, 'BadRequest', 'Invalid orderby clause');
  }
  const skipToken = query.get('$skiptoken');
  const after = skipToken === null ? undefined : decodeToken(skipToken);
  if (skipToken !== null && !after)
    return graphError(400, 'BadRequest', `Invalid $skiptoken value '${skipToken}'.`);
  const pageSize = Math.min(top, MAX_TOP);
  const value: AuditRecord[] = [];
  let last: EventKey | undefined;
  let more = false;
  const scan = world.keys(collection.source, {
    descending: orderBy !== 'activitydatetime' && orderBy !== 'activitydatetime asc',
    after,
    // A retried or duplicated page boundary: the previous page's last record comes again first.
    inclusive: knobs.duplicateAcrossPages && after !== undefined && pageSize > 1,
    low: filter.low,
    high: filter.high,
  });
  for (const key of scan) {
    const record = world.record(collection.source, key.seq);
    if (!filter.predicates.every((p) => p(record))) continue;
    if (value.length === pageSize) {
      more = true;
      break;
    }
    value.push(record);
    last = key;
  }
  const body: Record<string, unknown> = {
    '@odata.context': `${deps.origin()}/v1.0/$metadata#${collection.context}`,
  };
  if (more && last) {
    const next = new URL(req.url.toString());
    next.searchParams.set('$skiptoken', encodeToken(last));
    const link = `${deps.origin()}${next.pathname}?${next.searchParams.toString()}`;
    body['@odata.nextLink'] = link;
  }
  body.value = value;
  return { status: 200, headers: { 'content-type': GRAPH_JSON }, body };
}
