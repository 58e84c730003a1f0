import type { GraphCallContext, GraphPage } from './page-through.js';
import { activityWindowFilter, pageThrough } from './page-through.js';

/** Entra directory audit records whose `activityDateTime` lies in [from, to], page by page. */
export function listDirectoryAudits(ctx: GraphCallContext, from: Date, to: Date): AsyncGenerator<GraphPage> {
  const url = new URL(`${ctx.graphBaseUrl}/v1.0/auditLogs/directoryAudits`);
  url.searchParams.set('$filter', activityWindowFilter(from, to));
  return pageThrough(ctx, 'directory', url.toString());
}
