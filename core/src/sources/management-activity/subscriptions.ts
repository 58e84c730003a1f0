import type { ContentType } from '../../events/model.js';
import { msErrorCode } from '../../http/index.js';
import type { ManagementCallContext } from './feed.js';
import { feedRequest, feedUrl } from './feed.js';

/** What `ensureSubscriptions` found and did. */
export interface SubscriptionReport {
  /** Content types whose subscription is enabled now. */
  enabled: ContentType[];
  /** Content types just started (their first blobs may take up to 12 h to appear). */
  started: ContentType[];
  /** Of those, the ones the list showed disabled: someone turned them off, so events may be missing. */
  restarted: ContentType[];
  /** Content types not enabled and not started this time, with the reason. */
  unavailable: { contentType: ContentType; reason: string }[];
}

/** When `/start` was last called per content type; persisted so replicas and restarts respect the pause. */
export interface StartLedger {
  lastStart(contentType: ContentType): Promise<Date | undefined>;
  recordStart(contentType: ContentType, at: Date): Promise<void>;
}

/**
 * Pause between two `/start` calls for one content type. Microsoft publishes no such number; it documents that
 * after a start the first content may take up to 12 hours to appear
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-reference#working-with-the-office-365-management-activity-api),
 * so repeating a start soon after is pointless and only spends quota. Our pause is 15 minutes.
 */
export const START_PAUSE_MS = 15 * 60_000;

/** `subscriptions/list`: the status of every content type the tenant has subscribed to. */
export async function listSubscriptions(ctx: ManagementCallContext): Promise<Map<string, string>> {
  const { body } = await ctx.http.json<unknown>(feedRequest(ctx, feedUrl(ctx, 'subscriptions/list')));
  const status = new Map<string, string>();
  for (const item of Array.isArray(body) ? body : []) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as { contentType?: unknown; status?: unknown };
    if (typeof record.contentType === 'string') {
      status.set(record.contentType.toLowerCase(), typeof record.status === 'string' ? record.status : '');
    }
  }
  return status;
}

/** `subscriptions/start` for one content type; AF20024 ("already enabled") counts as success. */
export async function startSubscription(ctx: ManagementCallContext, contentType: ContentType): Promise<void> {
  try {
    await ctx.http.json<unknown>({
      ...feedRequest(ctx, feedUrl(ctx, 'subscriptions/start', { contentType })),
      method: 'POST',
    });
  } catch (error) {
    if (msErrorCode(error) === 'AF20024') return;
    throw error;
  }
}

/**
 * Start the subscriptions that `subscriptions/list` does not show as enabled, and only those: starting an
 * enabled one is needless, and repeated starts within `START_PAUSE_MS` are skipped.
 */
export async function ensureSubscriptions(
  ctx: ManagementCallContext,
  contentTypes: readonly ContentType[],
  ledger: StartLedger,
  now: () => Date,
): Promise<SubscriptionReport> {
  const status = await listSubscriptions(ctx);
  const report: SubscriptionReport = { enabled: [], started: [], restarted: [], unavailable: [] };
  for (const contentType of contentTypes) {
    const current = status.get(contentType.toLowerCase())?.toLowerCase();
    if (current === 'enabled') {
      report.enabled.push(contentType);
      continue;
    }
    const disabled = current !== undefined;
    const last = await ledger.lastStart(contentType);
    if (last && now().getTime() - last.getTime() < START_PAUSE_MS) {
      const reason = disabled
        ? `subscription disabled; it was restarted at ${last.toISOString()} and is tried again 15 min after that`
        : 'subscription starting (started less than 15 min ago)';
      report.unavailable.push({ contentType, reason });
      continue;
    }
    try {
      await startSubscription(ctx, contentType);
      // Recorded only once the start went through: a start that failed may be retried on the next run.
      await ledger.recordStart(contentType, now());
      report.started.push(contentType);
      if (disabled) report.restarted.push(contentType);
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      report.unavailable.push({
        contentType,
        reason: `subscription could not be started: ${(error as Error).message}`,
      });
    }
  }
  return report;
}
