import type { ContentType } from '../events/model.js';
import type { BearerAuth, HttpClient, RateLimiter } from '../http/index.js';
import { msErrorCode } from '../http/index.js';
import { downloadBlob } from '../sources/management-activity/download-blob.js';
import type { ContentRef, ManagementCallContext } from '../sources/management-activity/feed.js';
import { listContent, listWindows, RETENTION_MS } from '../sources/management-activity/list-content.js';
import {
  ensureSubscriptions,
  START_PAUSE_MS,
  startSubscription,
} from '../sources/management-activity/subscriptions.js';
import { DEFAULT_HOURS } from './schemas.js';
import { addCounts } from './source-run.js';
import type { SourceRun } from './source-run.js';
import type { WatermarkDocument } from './watermarks.js';
import { FencedOutError } from './watermarks.js';
import { createWorkPool } from './work-pool.js';
import { SourceFailure } from './source-failure.js';

const HOUR = 3_600_000;
/**
 * Content is listed by *creation* time and a blob's records are not in event order; Microsoft documents
 * records arriving hours late and backfilled blobs ("Office 365 Management Activity API reference": "the
 * actions and events in the content blobs aren't necessarily in the order in which they occurred",
 * https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference;
 * "typically 60 to 90 minutes … no guaranteed maximum latency",
 * https://learn.microsoft.com/office/office-365-management-api/troubleshooting-the-office-365-management-activity-api).
 * So every run re-lists at least the last 24 h (processed contentIds are skipped), and once a day the whole
 * 7 days the API keeps.
 */
export const MANAGEMENT_RELIST_MS = 24 * HOUR;
export const MANAGEMENT_SWEEP_EVERY_MS = 24 * HOUR;
/** Keeps a window's start inside the API's 7 days when the request arrives a little later (AF20055). */
const RETENTION_MARGIN_MS = 10 * 60_000;
/** Codes of a subscription that is missing (AF20022) or disabled (AF20023): start it again. */
const RESUBSCRIBE = new Set(['AF20022', 'AF20023']);

export interface ManagementDeps {
  http: HttpClient;
  auth: BearerAuth;
  managementBaseUrl: string;
  tenantId: string;
  limiter: RateLimiter;
  contentTypes: readonly ContentType[];
  /** Blob downloads in flight at once. */
  concurrency: number;
  batchSize: number;
  streamThresholdBytes: number;
  blobTimeoutMs: number;
}

/** The listing window of one content type, and the stretch the API has already forgotten, if any. */
export function managementWindow(
  mark: WatermarkDocument | null,
  now: Date,
  hours: number | undefined,
): { from: Date; wide: boolean; gap?: { from: Date; to: Date } } {
  const t = now.getTime();
  const oldest = t - RETENTION_MS + RETENTION_MARGIN_MS;
  if (!mark?.until) {
    return { from: new Date(Math.max(oldest, t - (hours ?? DEFAULT_HOURS) * HOUR)), wide: true };
  }
  let from = Math.min(mark.until.getTime(), t - MANAGEMENT_RELIST_MS);
  const wide = !mark.wide_scan_at || t - mark.wide_scan_at.getTime() >= MANAGEMENT_SWEEP_EVERY_MS;
  if (wide) from = oldest;
  if (hours !== undefined) from = Math.min(from, t - hours * HOUR);
  const gap = mark.until.getTime() < oldest ? { from: mark.until, to: new Date(oldest) } : undefined;
  return { from: new Date(Math.max(from, oldest)), wide, ...(gap ? { gap } : {}) };
}

/**
 * Fetch the Management Activity API: make sure the subscriptions are on, download the blobs webhooks
 * announced, then list every content type and download its blobs not yet processed, a bounded number at a
 * time. A blob is marked processed only after all its records are stored; a content type's watermark moves
 * only when every one of its blobs is stored, so a failed blob is listed again on the next run.
 */
export async function fetchManagement(run: SourceRun, deps: ManagementDeps): Promise<void> {
  const ctx: ManagementCallContext = {
    http: deps.http,
    auth: deps.auth,
    managementBaseUrl: deps.managementBaseUrl,
    tenantId: deps.tenantId,
    limiter: deps.limiter,
    signal: run.signal,
  };
  const seen = new Set<string>();
  const report = await ensureSubscriptions(ctx, deps.contentTypes, run.watermarks, run.clock);
  const problems: string[] = report.unavailable.map((u) => `${u.contentType}: ${u.reason}`);
  for (const contentType of report.restarted) {
    run.warnings.push(
      `${contentType}: subscription was disabled; restarted it (events in between may be missing)`,
    );
  }

  const pending = (await run.watermarks.pending()).filter((ref) => !seen.has(ref.contentId));
  if (pending.length > 0) {
    const failed = await downloadMany(run, ctx, deps, pending, seen);
    const done = pending.filter((ref) => !failed.has(ref.contentId)).map((ref) => ref.contentId);
    await run.watermarks.dropPending(done);
  }

  let succeeded = 0;
  let subscriptionIssue = report.unavailable.length > 0;
  let earliest: Date | undefined;
  const listable = [...report.enabled, ...report.started];
  run.result.to = run.now.toISOString();
  for (const contentType of listable) {
    try {
      const reached = await fetchContentType(run, ctx, deps, contentType, seen);
      if (reached) {
        succeeded += 1;
        if (!earliest || reached < earliest) earliest = reached;
      } else {
        problems.push(`${contentType}: some blobs could not be downloaded; they are retried on the next run`);
      }
    } catch (error) {
      if (run.signal.aborted || error instanceof FencedOutError) throw error;
      const code = msErrorCode(error);
      problems.push(`${contentType}: ${(error as Error).message}`);
      if (code && RESUBSCRIBE.has(code)) subscriptionIssue = true;
    }
  }
  run.reached = earliest;
  run.warnings.push(...problems);
  await run.watermarks.prune();
  if (succeeded === 0 && problems.length > 0) {
    throw new SourceFailure(problems.join('; '), subscriptionIssue ? 'subscription' : 'upstream');
  }
  if (problems.length > 0) run.result.status = 'partial';
  if (subscriptionIssue) {
    // Collection of a content type has stopped: health must say so even though the others went through.
    run.problem = { kind: 'subscription', message: problems.join('; ') };
  }
}

async function fetchContentType(
  run: SourceRun,
  ctx: ManagementCallContext,
  deps: ManagementDeps,
  contentType: ContentType,
  seen: Set<string>,
): Promise<Date | undefined> {
  const id = `unified:${contentType}`;
  await run.watermarks.claim(id, 'unified', run.fence);
  // The API takes whole seconds: end the window (and the watermark) on one, so nothing falls between runs.
  const to = new Date(Math.floor(run.now.getTime() / 1000) * 1000);
  const { from, wide, gap } = managementWindow(await run.watermarks.get(id), to, run.hours);
  if (!run.result.from || from.toISOString() < run.result.from) run.result.from = from.toISOString();
  if (gap) {
    const reason = 'the Management Activity API keeps content 7 days and this source was not fetched in time';
    await run.health.gap('unified', { ...gap, recorded_at: run.now, reason });
    run.warnings.push(
      `${contentType}: events between ${gap.from.toISOString()} and ${gap.to.toISOString()} are lost (${reason})`,
    );
  }
  let failures = 0;
  const list = async () => {
    const pool = createWorkPool(deps.concurrency);
    for (const window of listWindows(from, to)) {
      for await (const refs of listContent(ctx, contentType, window.start, window.end)) {
        const fresh = refs.filter((ref) => !seen.has(ref.contentId));
        const processed = await run.watermarks.processed(fresh.map((ref) => ref.contentId));
        for (const ref of fresh) {
          seen.add(ref.contentId);
          if (processed.has(ref.contentId)) continue;
          await pool.submit(async () => {
            if (!(await downloadOne(run, ctx, deps, ref))) failures += 1;
          });
        }
      }
    }
    await pool.drain();
  };
  try {
    await list();
  } catch (error) {
    const code = msErrorCode(error);
    if (!code || !RESUBSCRIBE.has(code)) throw error;
    // The subscription vanished or was disabled since `subscriptions/list`: start it again (unless a start
    // is already under way) and list once more.
    const last = await run.watermarks.lastStart(contentType);
    if (last && run.clock().getTime() - last.getTime() < START_PAUSE_MS) throw error;
    await startSubscription(ctx, contentType);
    await run.watermarks.recordStart(contentType, run.clock());
    run.warnings.push(
      `${contentType}: subscription was ${code === 'AF20023' ? 'disabled' : 'missing'}; restarted it`,
    );
    await list();
  }
  if (failures > 0) return undefined;
  await run.watermarks.advance(id, 'unified', run.fence, {
    until: to,
    ...(wide ? { wide_scan_at: to } : {}),
  });
  return to;
}

async function downloadMany(
  run: SourceRun,
  ctx: ManagementCallContext,
  deps: ManagementDeps,
  refs: readonly ContentRef[],
  seen: Set<string>,
): Promise<Set<string>> {
  const failed = new Set<string>();
  const processed = await run.watermarks.processed(refs.map((ref) => ref.contentId));
  const pool = createWorkPool(deps.concurrency);
  for (const ref of refs) {
    seen.add(ref.contentId);
    if (processed.has(ref.contentId)) continue;
    await pool.submit(async () => {
      if (!(await downloadOne(run, ctx, deps, ref))) failed.add(ref.contentId);
    });
  }
  await pool.drain();
  return failed;
}

/** Download and store one blob; false when it failed for good (a warning says why). */
async function downloadOne(
  run: SourceRun,
  ctx: ManagementCallContext,
  deps: ManagementDeps,
  ref: ContentRef,
): Promise<boolean> {
  try {
    const writer = run.sink.open('unified', (counts) => addCounts(run, counts, {}));
    const outcome = await downloadBlob(
      ctx,
      ref,
      (records) => writer.write(records, { contentType: ref.contentType }),
      {
        batchSize: deps.batchSize,
        streamThresholdBytes: deps.streamThresholdBytes,
        now: run.clock,
        timeoutMs: deps.blobTimeoutMs,
      },
    );
    await writer.flush();
    if (outcome.status === 'expired') {
      // Nothing can bring it back: say so once, and do not ask again.
      run.warnings.push(`${ref.contentType}: ${outcome.reason}; its records are lost`);
      run.result.status = 'partial';
    }
    await run.watermarks.markProcessed(ref);
    addCounts(run, { fetched: 0, inserted: 0, updated: 0, rejected: 0 }, { blobs: 1 });
    return true;
  } catch (error) {
    if (run.signal.aborted || error instanceof FencedOutError) throw error;
    run.warnings.push(`${ref.contentType}: blob ${ref.contentId} failed: ${(error as Error).message}`);
    return false;
  }
}
