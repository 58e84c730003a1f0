import type { BearerAuth, HttpClient } from '../../http/index.js';
import { assertSameOrigin } from '../same-origin.js';

export interface GraphCallContext {
  http: HttpClient;
  auth: BearerAuth;
  /** Graph origin, e.g. `https://graph.microsoft.com`. */
  graphBaseUrl: string;
  signal?: AbortSignal;
}

/** One page of a Graph collection. */
export interface GraphPage {
  records: Record<string, unknown>[];
  /** 1-based page number within this listing. */
  page: number;
}

/**
 * Walk a Graph collection through every `@odata.nextLink` (https://learn.microsoft.com/graph/paging). Pages
 * are yielded one at a time, so the caller stores a page before the next is requested. A failing page is
 * retried by the HTTP layer with the very same link, and an expired token is refreshed there, so a listing
 * never restarts from the first page.
 */
export async function* pageThrough(
  ctx: GraphCallContext,
  source: string,
  firstUrl: string,
): AsyncGenerator<GraphPage> {
  let url: string | undefined = firstUrl;
  let page = 0;
  while (url !== undefined) {
    const { body }: { body: { value?: unknown; '@odata.nextLink'?: unknown } } = await ctx.http.json({
      source,
      url,
      auth: ctx.auth,
      signal: ctx.signal,
      headers: { accept: 'application/json' },
    });
    page += 1;
    const records = Array.isArray(body.value)
      ? body.value.filter(
          (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
        )
      : [];
    yield { records, page };
    const next: unknown = body['@odata.nextLink'];
    url =
      typeof next === 'string' && next.length > 0
        ? assertSameOrigin(next, ctx.graphBaseUrl, source)
        : undefined;
  }
}

/**
 * The `$filter` both Graph audit collections accept for a time window. `directoryAudits` filters
 * `activityDateTime` with `eq`, `ge`, `le` only and has no `createdDateTime`
 * (https://learn.microsoft.com/graph/api/directoryaudit-list); Intune `auditEvents` filters the same
 * property (https://learn.microsoft.com/graph/api/intune-auditing-auditevent-list).
 */
export function activityWindowFilter(from: Date, to: Date): string {
  return `activityDateTime ge ${from.toISOString()} and activityDateTime le ${to.toISOString()}`;
}
