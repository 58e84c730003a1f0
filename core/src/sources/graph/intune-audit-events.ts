import type { GraphCallContext, GraphPage } from './page-through.js';
import { activityWindowFilter, pageThrough } from './page-through.js';

/** Intune audit events whose `activityDateTime` lies in [from, to], page by page. */
export function listIntuneAuditEvents(
  ctx: GraphCallContext,
  from: Date,
  to: Date,
): AsyncGenerator<GraphPage> {
  const url = new URL(`${ctx.graphBaseUrl}/v1.0/deviceManagement/auditEvents`);
  url.searchParams.set('$filter', activityWindowFilter(from, to));
  return pageThrough(ctx, 'intune', url.toString());
}
