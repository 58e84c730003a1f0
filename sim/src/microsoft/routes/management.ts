import { RETENTION_MS, type Blob, type BlobIndex } from '../blobs.js';
import { managementError } from '../error-bodies.js';
import type { Faults } from '../faults.js';
import {
  INVALID_JSON,
  isRecord,
  json,
  parseJsonBody,
  type Route,
  type SimRequest,
  type SimResponse,
} from '../http.js';
import type { Knobs } from '../knobs.js';
import { isContentType, type ContentType } from '../sources.js';
import type { SubscriptionState } from '../subscriptions.js';
import type { TokenService } from '../tokens.js';
import { addressProblem, validateWebhook, type ContentNotice } from '../webhooks.js';
import { authorizeManagement } from './auth.js';

const FEED =
  /^\/api\/v1\.0\/([^/]+)\/activity\/feed\/(subscriptions\/(start|stop|list|content|notifications)|audit\/(.+))$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const DAY_MS = 86_400_000;

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

/** The notice (listing entry) for a blob; expired-by-fault blobs are listed with a past expiration. */
export function noticeOf(
  blob: Blob,
  deps: Pick<ManagementDeps, 'blobs' | 'faults' | 'now' | 'origin' | 'tenantId'>,
): ContentNotice {
  const contentId = deps.blobs.contentId(blob);
  const expirationMs = deps.faults.isBlobExpired(contentId)
    ? Math.min(blob.createdMs + RETENTION_MS, deps.now().getTime() - 60_000)
    : blob.createdMs + RETENTION_MS;
  return {
    contentType: blob.contentType,
    contentId,
    contentUri: `${deps.origin()}/api/v1.0/${deps.tenantId}/activity/feed/audit/${contentId}`,
    contentCreated: new Date(blob.createdMs).toISOString(),
    contentExpiration: new Date(expirationMs).toISOString(),
  };
}

/** startTime/endTime as the API takes them: YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS (UTC). */
function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?Z?$/.test(text)) return undefined;
  const ms = Date.parse(text.endsWith('Z') ? text : text.length === 10 ? `${text}T00:00:00Z` : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
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
    const [, tenant = '', , operation, contentId] = m;
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

const methodNotAllowed = (req: SimRequest): SimResponse =>
  json(405, { Message: `The requested resource does not support http method '${req.method}'.` });

function contentTypeOf(req: SimRequest): ContentType | SimResponse {
  const value = req.url.searchParams.get('contentType');
  if (value === null || value === '')
    return managementError(400, 'AF20001', 'Missing parameter: contentType.');
  // The service matches content types case-insensitively (mocks use "Audit.Sharepoint").
  const match = [
    'Audit.AzureActiveDirectory',
    'Audit.Exchange',
    'Audit.SharePoint',
    'Audit.General',
    'DLP.All',
  ].find((t) => t.toLowerCase() === value.toLowerCase());
  if (!match || !isContentType(match))
    return managementError(400, 'AF20020', 'The specified content type is not valid.');
  return match;
}

function enabledSubscription(type: ContentType, deps: ManagementDeps): SimResponse | undefined {
  const subscription = deps.state.subscriptions.get(type);
  if (!subscription)
    return managementError(400, 'AF20022', 'No subscription found for the specified content type.');
  if (subscription.status !== 'enabled')
    return managementError(400, 'AF20023', 'The subscription was disabled by a tenant admin.');
  return undefined;
}

async function startSubscription(req: SimRequest, deps: ManagementDeps): Promise<SimResponse> {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const body = parseJsonBody(req);
  if (body === INVALID_JSON || (body !== undefined && !isRecord(body)))
    return managementError(400, 'AF20002', 'Invalid parameter type: webhook. Expected type: object');
  const requested = isRecord(body) && isRecord(body.webhook) ? body.webhook : undefined;
  const existing = deps.state.subscriptions.get(type);
  if (existing?.status === 'enabled' && !requested) {
    return managementError(400, 'AF20024', 'The subscription is already enabled. No property change.');
  }
  let webhook = existing?.webhook ?? null;
  if (requested) {
    const address = typeof requested.address === 'string' ? requested.address : '';
    const authId = typeof requested.authId === 'string' && requested.authId !== '' ? requested.authId : null;
    const expiration =
      typeof requested.expiration === 'string' && requested.expiration !== '' ? requested.expiration : null;
    if (expiration !== null && Date.parse(expiration) < deps.now().getTime()) {
      return managementError(
        400,
        'AF20003',
        `Expiration ${expiration} provided is set to past date and time.`,
      );
    }
    const problem =
      addressProblem(address) ??
      ((await validateWebhook({ address, authId })) ? undefined : 'The endpoint did not return HTTP 200.');
    if (problem)
      return managementError(
        400,
        'AF20021',
        `The webhook endpoint ${address} could not be validated. ${problem}`,
      );
    webhook = { status: 'enabled', address, authId, expiration };
  }
  const subscription = { contentType: type, status: 'enabled' as const, webhook };
  deps.state.subscriptions.set(type, subscription);
  return json(200, subscription);
}

function stopSubscription(req: SimRequest, deps: ManagementDeps): SimResponse {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const existing = deps.state.subscriptions.get(type);
  if (!existing)
    return managementError(400, 'AF20022', 'No subscription found for the specified content type.');
  deps.state.subscriptions.set(type, { ...existing, status: 'disabled' });
  return { status: 200 };
}

/** Resolves startTime/endTime: both or neither, at most 24 h apart, start no more than 7 days back. */
function timeWindow(req: SimRequest, deps: ManagementDeps): { start: number; end: number } | SimResponse {
  const startText = req.url.searchParams.get('startTime');
  const endText = req.url.searchParams.get('endTime');
  const nowMs = deps.now().getTime();
  if (startText === null && endText === null) return { start: nowMs - DAY_MS, end: nowMs };
  // The reference table documents AF20030 for this rule; the live service answers AF20055 for a window that is
  // too long, inverted or too old. A client must treat both codes alike.
  if (startText === null || endText === null) {
    return managementError(
      400,
      'AF20030',
      'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.',
    );
  }
  const start = parseTime(startText);
  const end = parseTime(endText);
  if (start === undefined)
    return managementError(400, 'AF20002', 'Invalid parameter type: startTime. Expected type: datetime');
  if (end === undefined)
    return managementError(400, 'AF20002', 'Invalid parameter type: endTime. Expected type: datetime');
  if (end - start > DAY_MS || start >= end || start < nowMs - RETENTION_MS) {
    return managementError(
      400,
      'AF20055',
      'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.',
    );
  }
  return { start, end };
}

function listContent(req: SimRequest, deps: ManagementDeps): SimResponse {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const disabled = enabledSubscription(type, deps);
  if (disabled) return disabled;
  const window = timeWindow(req, deps);
  if (!('start' in window)) return window;
  const { blobs, knobs } = deps;
  const nextPage = req.url.searchParams.get('nextPage');
  let k: number;
  let l: number;
  if (nextPage === null) {
    k = blobs.firstBaseAtOrAfter(type, window.start);
    l = 0;
  } else {
    const m = /^(\d{10})R(\d{6})$/.exec(nextPage);
    if (!m) return managementError(400, 'AF20031', `Invalid nextPage Input: ${nextPage}.`);
    k = Number(m[1]);
    l = Number(m[2]);
  }
  // Blobs are available only once created; late blobs (added while running) interleave by creation time.
  const nowMs = deps.now().getTime();
  const inWindow = (blob: Blob): boolean =>
    blob.createdMs >= window.start && blob.createdMs < window.end && blob.createdMs <= nowMs;
  const late = blobs.lateBlobs(type);
  const page: Blob[] = [];
  const baseTotal = blobs.baseCount(type);
  for (;;) {
    while (l < late.length && !inWindow(late[l] as Blob)) l += 1;
    const lateBlob = late[l];
    let baseBlob = k < baseTotal ? blobs.base(type, k) : undefined;
    if (baseBlob && !inWindow(baseBlob)) {
      if (baseBlob.createdMs < window.start) {
        k += 1;
        continue;
      }
      baseBlob = undefined;
    }
    if (!baseBlob && !lateBlob) break;
    if (page.length === knobs.contentPageSize) {
      const next = new URL(`${deps.origin()}${req.url.pathname}`);
      next.searchParams.set('contentType', type);
      next.searchParams.set('startTime', new Date(window.start).toISOString());
      next.searchParams.set('endTime', new Date(window.end).toISOString());
      const publisher = req.url.searchParams.get('PublisherIdentifier');
      if (publisher) next.searchParams.set('PublisherIdentifier', publisher);
      next.searchParams.set('nextPage', `${k.toString().padStart(10, '0')}R${l.toString().padStart(6, '0')}`);
      return json(
        200,
        page.map((blob) => noticeOf(blob, deps)),
        { NextPageUri: next.toString() },
      );
    }
    if (baseBlob && (!lateBlob || baseBlob.createdMs <= lateBlob.createdMs)) {
      page.push(baseBlob);
      k += 1;
    } else if (lateBlob) {
      page.push(lateBlob);
      l += 1;
    }
  }
  return json(
    200,
    page.map((blob) => noticeOf(blob, deps)),
  );
}

function getBlob(contentId: string, deps: ManagementDeps): SimResponse {
  const blob = deps.blobs.find(contentId);
  if (!blob || blob.createdMs > deps.now().getTime())
    return managementError(404, 'AF20050', `The specified content (${contentId}) does not exist.`);
  if (deps.faults.consumeBlobExpiry(contentId) || deps.now().getTime() >= blob.createdMs + RETENTION_MS) {
    return managementError(
      400,
      'AF20051',
      `Content requested with the key ${contentId} has already expired. Content older than 7 days cannot be retrieved.`,
    );
  }
  return json(200, deps.blobs.records(blob, deps.knobs.duplicateAcrossBlobs));
}

function listNotifications(req: SimRequest, deps: ManagementDeps): SimResponse {
  const type = contentTypeOf(req);
  if (typeof type !== 'string') return type;
  const disabled = enabledSubscription(type, deps);
  if (disabled) return disabled;
  return json(
    200,
    deps.state.notifications.filter((n) => n.contentType === type),
  );
}
