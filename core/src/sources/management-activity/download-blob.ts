import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import StreamArray from 'stream-json/streamers/StreamArray.js';
import { msErrorCode } from '../../http/index.js';
import { assertSameOrigin } from '../same-origin.js';
import type { ContentRef, ManagementCallContext } from './feed.js';
import { feedRequest, withPublisher } from './feed.js';

export type BlobOutcome = { status: 'done'; records: number } | { status: 'expired'; reason: string };

export interface DownloadOptions {
  /** Records handed to `onBatch` at a time. */
  batchSize: number;
  /** Bodies announced larger than this (or of unknown length) are parsed as a stream. */
  streamThresholdBytes: number;
  now: () => Date;
  /** Per-attempt timeout of a blob download. */
  timeoutMs?: number;
}

/**
 * Download one content blob and hand its records to `onBatch` in batches, waiting for each batch before
 * reading on, so a blob of any size costs one batch of memory. Small blobs are parsed whole (much faster);
 * large or unannounced ones are parsed as a stream with stream-json. A blob past its `contentExpiration`, or
 * one the API reports expired (AF20051), is an `expired` outcome rather than an error: content stays available
 * 7 days (https://learn.microsoft.com/office/office-365-management-api/troubleshooting-the-office-365-management-activity-api).
 * If the body breaks off mid-way the HTTP layer downloads the blob again; `onBatch` must be idempotent.
 */
export async function downloadBlob(
  ctx: ManagementCallContext,
  ref: ContentRef,
  onBatch: (records: Record<string, unknown>[]) => Promise<void>,
  options: DownloadOptions,
): Promise<BlobOutcome> {
  const expiresAt = Date.parse(ref.contentExpiration);
  if (!Number.isNaN(expiresAt) && expiresAt <= options.now().getTime()) {
    return { status: 'expired', reason: `content ${ref.contentId} expired at ${ref.contentExpiration}` };
  }
  const url = withPublisher(ctx, assertSameOrigin(ref.contentUri, ctx.managementBaseUrl, 'unified'));
  try {
    const records = await ctx.http.send(
      { ...feedRequest(ctx, url), timeoutMs: options.timeoutMs },
      (response) => readRecords(response, onBatch, options),
    );
    return { status: 'done', records };
  } catch (error) {
    if (msErrorCode(error) === 'AF20051') {
      return { status: 'expired', reason: `content ${ref.contentId} has expired (AF20051)` };
    }
    throw error;
  }
}

async function readRecords(
  response: Response,
  onBatch: (records: Record<string, unknown>[]) => Promise<void>,
  options: DownloadOptions,
): Promise<number> {
  let count = 0;
  let batch: Record<string, unknown>[] = [];
  let sinkError: unknown;
  const push = async (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    batch.push(value as Record<string, unknown>);
    if (batch.length >= options.batchSize) await flush();
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    try {
      await onBatch(full);
    } catch (error) {
      sinkError = error;
      throw error;
    }
    count += full.length;
  };

  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length <= options.streamThresholdBytes) {
    const body: unknown = await response.json();
    if (!Array.isArray(body)) throw new SyntaxError('content blob is not a JSON array');
    for (const value of body) await push(value);
    await flush();
    return count;
  }

  if (!response.body) throw new SyntaxError('content blob has no body');
  const items = pipeline(
    // The console type-checks this file through AppRouter with DOM typings, where fetch's body is the DOM stream.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- unnecessary only under Node typings
    Readable.fromWeb(response.body as NodeReadableStream),
    StreamArray.withParser(),
    () => undefined,
  );
  try {
    for await (const item of items as AsyncIterable<{ value: unknown }>) await push(item.value);
    await flush();
  } catch (error) {
    if (error === sinkError) throw error;
    items.destroy();
    // A broken-off body shows up here as a parse or stream error; SyntaxError marks it transient for a retry.
    throw new SyntaxError(`content blob could not be read to the end: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return count;
}
