import type { BearerAuth, HttpClient, RateLimiter } from '../../http/index.js';
import type { ContentType } from '../../events/model.js';

export interface ManagementCallContext {
  http: HttpClient;
  auth: BearerAuth;
  /** Management API origin, e.g. `https://manage.office.com`. */
  managementBaseUrl: string;
  tenantId: string;
  /** Shared by every Management API call of the process: the quota is per tenant. */
  limiter: RateLimiter;
  signal?: AbortSignal;
}

/** One entry of `subscriptions/content`: a content blob to download. */
export interface ContentRef {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

/**
 * A URL under `{base}/api/v1.0/{tenant}/activity/feed/`, always carrying `PublisherIdentifier`: without it
 * every call of the tenant shares one throttling bucket with every other caller that omits it
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference#activity-api-operations,
 * https://learn.microsoft.com/office/office-365-management-api/troubleshooting-the-office-365-management-activity-api).
 */
export function feedUrl(
  ctx: ManagementCallContext,
  path: string,
  params: Record<string, string> = {},
): string {
  const url = new URL(
    `${ctx.managementBaseUrl}/api/v1.0/${encodeURIComponent(ctx.tenantId)}/activity/feed/${path}`,
  );
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set('PublisherIdentifier', ctx.tenantId);
  return url.toString();
}

/** The same link with `PublisherIdentifier` added (NextPageUri and contentUri come without it). */
export function withPublisher(ctx: ManagementCallContext, link: string): string {
  const url = new URL(link);
  if (!url.searchParams.has('PublisherIdentifier')) url.searchParams.set('PublisherIdentifier', ctx.tenantId);
  return url.toString();
}

/** Request options shared by every Management API call. */
export function feedRequest(ctx: ManagementCallContext, url: string) {
  return {
    source: 'unified',
    url,
    auth: ctx.auth,
    signal: ctx.signal,
    gate: (signal?: AbortSignal) => ctx.limiter.acquire(signal),
  };
}
