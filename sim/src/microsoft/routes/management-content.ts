import { RETENTION_MS, type Blob } from '../blobs.js';
import { managementError } from '../error-bodies.js';
import { json, type SimRequest, type SimResponse } from '../http.js';
import type { ContentNotice } from '../webhooks.js';
import type { ManagementDeps } from './management.js';
import { contentTypeOf, enabledSubscription, timeWindow } from './management-params.js';

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

/**
 * `subscriptions/content`: blobs whose creation time lies in [startTime, endTime), base and late blobs merged by
 * creation time, `contentPageSize` per page with a NextPageUri carrying the same window and the position.
 */
export function listContent(req: SimRequest, deps: ManagementDeps): SimResponse {
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

/** A content blob: its records, or AF20050 / AF20051. */
export function getBlob(contentId: string, deps: ManagementDeps): SimResponse {
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
