import { ContentType } from '../../events/model.js';
import { assertSameOrigin } from '../same-origin.js';
import type { ContentRef, ManagementCallContext } from './feed.js';
import { feedRequest, feedUrl, withPublisher } from './feed.js';

/**
 * `subscriptions/content` accepts a window of at most 24 hours, starting no more than 7 days ago
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference#list-available-content).
 */
export const MAX_LIST_WINDOW_MS = 24 * 3_600_000;
export const RETENTION_MS = 7 * 24 * 3_600_000;

/** Split [from, to] into consecutive windows of at most 24 h. */
export function listWindows(from: Date, to: Date): { start: Date; end: Date }[] {
  const windows: { start: Date; end: Date }[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += MAX_LIST_WINDOW_MS) {
    windows.push({
      start: new Date(start),
      end: new Date(Math.min(start + MAX_LIST_WINDOW_MS, to.getTime())),
    });
  }
  return windows;
}

/**
 * The content blobs of one content type created in [start, end] (at most 24 h), page by page through the
 * `NextPageUri` response header.
 */
export async function* listContent(
  ctx: ManagementCallContext,
  contentType: ContentType,
  start: Date,
  end: Date,
): AsyncGenerator<ContentRef[]> {
  let url: string | undefined = feedUrl(ctx, 'subscriptions/content', {
    contentType,
    startTime: apiTime(start),
    endTime: apiTime(end),
  });
  while (url !== undefined) {
    const { body, headers }: { body: unknown; headers: Headers } = await ctx.http.json(feedRequest(ctx, url));
    yield (Array.isArray(body) ? body : []).flatMap((item) => toContentRef(item, contentType));
    const next: string | null = headers.get('NextPageUri');
    url = next ? withPublisher(ctx, assertSameOrigin(next, ctx.managementBaseUrl, 'unified')) : undefined;
  }
}

/** The API takes `YYYY-MM-DDTHH:MM:SS` (UTC) and rejects some longer forms. */
function apiTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function toContentRef(item: unknown, listed: ContentType): ContentRef[] {
  if (typeof item !== 'object' || item === null) return [];
  const r = item as Record<string, unknown>;
  if (typeof r.contentId !== 'string' || typeof r.contentUri !== 'string') return [];
  // Listings have been seen with a differently-cased content type ("Audit.Sharepoint"): keep the one we asked for.
  const parsed = ContentType.safeParse(r.contentType);
  return [
    {
      contentType: parsed.success ? parsed.data : listed,
      contentId: r.contentId,
      contentUri: r.contentUri,
      contentCreated: typeof r.contentCreated === 'string' ? r.contentCreated : '',
      contentExpiration: typeof r.contentExpiration === 'string' ? r.contentExpiration : '',
    },
  ];
}
