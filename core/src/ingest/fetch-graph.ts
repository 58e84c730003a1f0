import type { BearerAuth, HttpClient } from '../http/index.js';
import { listDirectoryAudits } from '../sources/graph/directory-audits.js';
import { listIntuneAuditEvents } from '../sources/graph/intune-audit-events.js';
import type { GraphCallContext, GraphPage } from '../sources/graph/page-through.js';
import { unnamedObjectIds } from '../sources/graph/resolve-names.js';
import type { NameResolver } from '../sources/graph/resolve-names.js';
import { DEFAULT_HOURS, MAX_HOURS } from './schemas.js';
import { readAhead } from './read-ahead.js';
import { addCounts } from './source-run.js';
import type { SourceRun } from './source-run.js';
import type { WatermarkDocument } from './watermarks.js';

const HOUR = 3_600_000;
/**
 * Audit records reach Graph minutes to an hour after the activity (Entra: "Log latency in Microsoft Entra
 * ID", https://learn.microsoft.com/entra/identity/monitoring-health/reference-log-latency), and Graph lists
 * them by activity time, so a late record lands behind the watermark: every run re-reads the hour before it.
 */
export const GRAPH_OVERLAP_MS = 1 * HOUR;
/** Once a day a run re-reads 72 h, for the rare record later than the overlap. */
export const GRAPH_WIDE_RESCAN_MS = 72 * HOUR;
export const WIDE_RESCAN_EVERY_MS = 24 * HOUR;

export interface GraphDeps {
  http: HttpClient;
  auth: BearerAuth;
  graphBaseUrl: string;
  /** Directory audits only: display names for ids the records leave unnamed. */
  resolver?: NameResolver;
}

/**
 * The window of a Graph source's run, whether it is the daily wide re-scan, and the stretch it can no longer
 * reach. A fetch reaches back at most 30 days, which is also how long Entra keeps audit logs with P1/P2
 * (https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention): a watermark
 * older than that is an outage whose events are gone.
 */
export function graphWindow(
  mark: WatermarkDocument | null,
  now: Date,
  hours: number | undefined,
): { from: Date; wide: boolean; gap?: { from: Date; to: Date } } {
  const t = now.getTime();
  const floor = t - MAX_HOURS * HOUR;
  if (!mark?.until) return { from: new Date(t - (hours ?? DEFAULT_HOURS) * HOUR), wide: true };
  let from = mark.until.getTime() - GRAPH_OVERLAP_MS;
  const wide = !mark.wide_scan_at || t - mark.wide_scan_at.getTime() >= WIDE_RESCAN_EVERY_MS;
  if (wide) from = Math.min(from, t - GRAPH_WIDE_RESCAN_MS);
  if (hours !== undefined) from = Math.min(from, t - hours * HOUR);
  const gap = mark.until.getTime() < floor ? { from: mark.until, to: new Date(floor) } : undefined;
  return { from: new Date(Math.max(from, floor)), wide, ...(gap ? { gap } : {}) };
}

/**
 * Fetch one Graph source (`directory` or `intune`): every page of the window is normalized and stored before
 * the next is requested, and the watermark moves to the window's end only after the last page is stored.
 */
export async function fetchGraphSource(run: SourceRun, deps: GraphDeps): Promise<void> {
  const id = run.source;
  await run.watermarks.claim(id, run.source, run.fence);
  const { from, wide, gap } = graphWindow(await run.watermarks.get(id), run.now, run.hours);
  const to = run.now;
  if (gap) {
    const reason = 'this source was not fetched for more than the 30 days Graph keeps audit logs';
    await run.health.gap(run.source, { ...gap, recorded_at: run.now, reason });
    run.warnings.push(
      `events between ${gap.from.toISOString()} and ${gap.to.toISOString()} are lost (${reason})`,
    );
  }
  run.result.from = from.toISOString();
  run.result.to = to.toISOString();
  const ctx: GraphCallContext = {
    http: deps.http,
    auth: deps.auth,
    graphBaseUrl: deps.graphBaseUrl,
    signal: run.signal,
  };
  const pages: AsyncGenerator<GraphPage> =
    run.source === 'directory' ? listDirectoryAudits(ctx, from, to) : listIntuneAuditEvents(ctx, from, to);
  const writer = run.sink.open(run.source, (counts) => addCounts(run, counts, {}));
  for await (const page of readAhead(pages)) {
    const names =
      run.source === 'directory' && deps.resolver
        ? await deps.resolver.resolve(unnamedObjectIds(page.records), run.signal)
        : undefined;
    await writer.write(page.records, names ? { names } : {});
    addCounts(run, { fetched: 0, inserted: 0, updated: 0, rejected: 0 }, { pages: 1 });
  }
  await writer.flush();
  await run.watermarks.advance(id, run.source, run.fence, {
    until: to,
    ...(wide ? { wide_scan_at: run.now } : {}),
  });
  run.reached = to;
}
