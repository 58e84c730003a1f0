import type { BlobIndex } from '../blobs.js';
import { managementError } from '../error-bodies.js';
import type { Faults } from '../faults.js';
import { json, type Route, type SimRequest, type SimResponse } from '../http.js';
import type { Knobs } from '../knobs.js';
import type { SubscriptionState } from '../subscriptions.js';
import type { TokenService } from '../tokens.js';
import { SENSITIVE_TYPES } from '../records/management-dlp.js';
import { authorizeManagement } from './auth.js';
import { getBlob, listContent } from './management-content.js';
import { methodNotAllowed } from './management-params.js';
import { listNotifications, startSubscription, stopSubscription } from './management-subscriptions.js';

export { noticeOf } from './management-content.js';

const FEED =
  /^\/api\/v1\.0\/([^/]+)\/activity\/feed\/(subscriptions\/(start|stop|list|content|notifications)|resources\/(dlpSensitiveTypes)|audit\/(.+))$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export interface Quotas {
  /** Requests per minute shared by every caller that omits PublisherIdentifier. */
  sharedPerMinute: number;
  /** Requests per minute for callers that send PublisherIdentifier (the tenant's own quota). */
  tenantPerMinute: number;
}

export interface ManagementDeps {
  tenantId: string;
  tokens: TokenService;
  blobs: BlobIndex;
  knobs: Knobs;
  faults: Faults;
  state: SubscriptionState;
  quotas: Quotas;
  now: () => Date;
  origin: () => string;
}

/**
 * The Office 365 Management Activity API under `/api/v1.0/{tenant}/activity/feed/` (reference:
 * office-365-management-activity-api-reference.md): subscriptions, content listing with NextPageUri paging,
 * content blobs, notifications, PublisherIdentifier quotas.
 */
export function managementRoute(deps: ManagementDeps): Route {
  const windows = new Map<string, { minute: number; count: number }>();
  const overQuota = (req: SimRequest, method: string): SimResponse | undefined => {
    const publisher = req.url.searchParams.get('PublisherIdentifier');
    const key = publisher ? `publisher:${publisher.toLowerCase()}` : 'shared';
    const limit = publisher ? deps.quotas.tenantPerMinute : deps.quotas.sharedPerMinute;
    const minute = Math.floor(deps.now().getTime() / 60_000);
    const window = windows.get(key);
    const current = window && window.minute === minute ? window : { minute, count: 0 };
    current.count += 1;
    windows.set(key, current);
    if (current.count <= limit) return undefined;
    // Throttling is reported as HTTP 403 with AF429 (troubleshooting doc), not as 429.
    return managementError(
      403,
      'AF429',
      `Too many requests. Method=${method}, PublisherId=${publisher ?? ZERO_GUID}`,
    );
  };

  return async (req) => {
    const m = FEED.exec(req.url.pathname);
    if (!m) return undefined;
    const [, tenant = '', , operation, resource, contentId] = m;
    if (!GUID.test(tenant))
      return managementError(
        400,
        'AF20013',
        `The tenant ID passed in the URL (${tenant}) is not a valid GUID.`,
      );
    const auth = authorizeManagement(req, deps.tokens, 'management', tenant);
    if (!auth.ok) return auth.response;
    const throttled = overQuota(req, contentId ? 'GetBlob' : req.method);
    if (throttled) return throttled;
    if (contentId !== undefined) return getBlob(decodeURIComponent(contentId), deps);
    if (resource !== undefined) {
      // Friendly names for the sensitive-type GUIDs in DLP records ("Retrieve resource friendly names").
      return req.method === 'GET'
        ? json(
            200,
            SENSITIVE_TYPES.map(([id, name]) => ({ id, name })),
          )
        : methodNotAllowed(req);
    }
    switch (operation) {
      case 'list':
        return req.method === 'GET'
          ? json(200, [...deps.state.subscriptions.values()])
          : methodNotAllowed(req);
      case 'start':
        return req.method === 'POST' ? startSubscription(req, deps) : methodNotAllowed(req);
      case 'stop':
        return req.method === 'POST' ? stopSubscription(req, deps) : methodNotAllowed(req);
      case 'content':
        return req.method === 'GET' ? listContent(req, deps) : methodNotAllowed(req);
      case 'notifications':
        return req.method === 'GET' ? listNotifications(req, deps) : methodNotAllowed(req);
      case undefined:
      default:
        return undefined;
    }
  };
}
