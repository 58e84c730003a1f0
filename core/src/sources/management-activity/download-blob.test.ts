import { describe, expect, it } from 'vitest';
import { createHttpClient, createRateLimiter } from '../../http/index.js';
import { downloadBlob } from './download-blob.js';
import type { ContentRef, ManagementCallContext } from './feed.js';

const BASE = 'http://127.0.0.1:9';
const records = Array.from({ length: 25 }, (_, i) => ({
  Id: `r${i}`,
  Operation: 'FileAccessed',
  Workload: 'SharePoint',
}));
const body = JSON.stringify(records);

/** A chunked body (no content-length), optionally cut off after `cutAt` bytes. */
function chunked(cutAt?: number): Response {
  const bytes = new TextEncoder().encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const end = cutAt ?? bytes.length;
      for (let i = 0; i < end; i += 64) controller.enqueue(bytes.slice(i, Math.min(i + 64, end)));
      if (cutAt === undefined) controller.close();
      else controller.error(Object.assign(new TypeError('terminated'), { cause: { code: 'ECONNRESET' } }));
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
}

function context(responses: Response[], urls: string[] = []): ManagementCallContext {
  const fetchImpl = ((url: string) => {
    urls.push(url);
    const next = responses.shift();
    return next ? Promise.resolve(next) : Promise.reject(new Error('no response left'));
  }) as unknown as typeof fetch;
  return {
    http: createHttpClient({ fetch: fetchImpl, sleep: () => Promise.resolve() }),
    auth: { token: () => Promise.resolve('t'), invalidate: () => undefined },
    managementBaseUrl: BASE,
    tenantId: 'tenant-guid',
    limiter: createRateLimiter({ limit: 1000, windowMs: 60_000 }),
  };
}

const ref: ContentRef = {
  contentType: 'Audit.SharePoint',
  contentId: 'c1',
  contentUri: `${BASE}/api/v1.0/tenant-guid/activity/feed/audit/c1`,
  contentCreated: '2026-01-01T00:00:00.000Z',
  contentExpiration: '2099-01-01T00:00:00.000Z',
};
const options = { batchSize: 10, streamThresholdBytes: 0, now: () => new Date('2026-01-02T00:00:00Z') };

describe('downloadBlob', () => {
  it('streams a blob in batches and names the publisher on the download', async () => {
    const urls: string[] = [];
    const batches: number[] = [];
    const outcome = await downloadBlob(
      context([chunked()], urls),
      ref,
      (batch) => {
        batches.push(batch.length);
        return Promise.resolve();
      },
      options,
    );
    expect(outcome).toEqual({ status: 'done', records: 25 });
    expect(batches).toEqual([10, 10, 5]);
    expect(new URL(urls[0] ?? '').searchParams.get('PublisherIdentifier')).toBe('tenant-guid');
  });

  it('downloads a blob again when its body breaks off, so every record arrives', async () => {
    const seen = new Set<string>();
    const outcome = await downloadBlob(
      context([chunked(body.length / 2), chunked()]),
      ref,
      (batch) => {
        for (const record of batch) seen.add(String(record.Id));
        return Promise.resolve();
      },
      options,
    );
    expect(outcome.status).toBe('done');
    expect(seen.size).toBe(25);
  });

  it('reports expired content instead of failing, and never fetches a blob past its expiration', async () => {
    const expiredBody = new Response(
      JSON.stringify({ error: { code: 'AF20051', message: 'Content expired.' } }),
      {
        status: 400,
      },
    );
    await expect(
      downloadBlob(context([expiredBody]), ref, () => Promise.resolve(), options),
    ).resolves.toMatchObject({
      status: 'expired',
    });
    const urls: string[] = [];
    const old = { ...ref, contentExpiration: '2025-12-31T00:00:00.000Z' };
    await expect(
      downloadBlob(context([], urls), old, () => Promise.resolve(), options),
    ).resolves.toMatchObject({
      status: 'expired',
    });
    expect(urls).toHaveLength(0);
  });

  it('refuses a content URI on another origin, which would receive our token', async () => {
    const foreign = { ...ref, contentUri: 'http://127.0.0.2:9/api/v1.0/tenant-guid/activity/feed/audit/c1' };
    await expect(downloadBlob(context([]), foreign, () => Promise.resolve(), options)).rejects.toThrow(
      /another origin/,
    );
  });
});
