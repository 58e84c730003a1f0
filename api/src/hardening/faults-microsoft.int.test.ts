import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim } from '@aoc/sim';
import type { MicrosoftSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { createCore, createIngest, loadConfig, silentLogger } from '@aoc/core';
import type { Core, FetchProgress } from '@aoc/core';
import { compareWithExpected } from './expected-ids.test-helpers.js';
import { printFigure } from './http-probe.test-helpers.js';

/**
 * Every Microsoft fault the sim can inject, at once, in one fetch: 429 storms with Retry-After, bursts of
 * 500/502/503/504, responses slower than the client timeout, connection resets, an expired blob and tokens
 * expiring mid-run. The fetch must complete with exactly the sim's expected set: nothing lost, nothing twice.
 *
 * Truncated JSON is not injected here: the sim has no fault for it (a body cut short is covered by core's
 * streaming blob parser tests, `download-blob.test.ts`).
 */

const database = useTestDatabase('hardening_ms_faults');
let cloud: MicrosoftSim;
let core: Core;

beforeAll(async () => {
  cloud = await startMicrosoftSim({ events: 2400, blobSize: 60, knobs: { graphPageSize: 80 } });
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    LOGIN_BASE_URL: cloud.urls.login,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
  });
  core = await createCore(config, { log: silentLogger(), mongoClient: database.client });
}, 60_000);

afterAll(async () => {
  await core?.close();
  await cloud?.stop();
});

const waits: number[] = [];

/** Ingestion with the production retry logic and timeouts, waits shortened so a storm takes seconds. */
function fastIngest() {
  return createIngest(core.context, {
    http: {
      timeoutMs: 400,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      sleep: (ms, signal) => {
        waits.push(ms);
        return new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason as Error);
          };
          const timer = setTimeout(
            () => {
              signal?.removeEventListener('abort', onAbort);
              resolve();
            },
            Math.min(ms, 20),
          );
          signal?.addEventListener('abort', onAbort, { once: true });
        });
      },
    },
    managementRequestsPerMinute: 100_000,
    leaseTtlMs: 5_000,
  });
}

describe('Microsoft API faults', () => {
  it('completes a fetch through every fault with nothing lost or duplicated', async () => {
    const ingest = fastIngest();
    const f = cloud.faults;
    const rules = [
      f.throttle('/auditLogs/directoryAudits', 2, 3),
      f.throttle('/activity/feed/subscriptions/content', 1, 4),
      f.add({ path: '/deviceManagement/auditEvents', status: 503, times: 3 }),
      f.add({ path: '/deviceManagement/auditEvents', status: 502, times: 2, skip: 4 }),
      f.add({ path: '/activity/feed/subscriptions/content', status: 500, times: 2, skip: 2 }),
      f.add({ path: '/activity/feed/audit/', status: 504, times: 3 }),
      f.add({ path: '/auditLogs/directoryAudits', delayMs: 1_500, times: 2, skip: 3 }),
      f.add({ path: '/activity/feed/audit/', delayMs: 1_500, times: 2, skip: 6 }),
      f.reset('/activity/feed/audit/', 3),
      f.add({ path: '/auditLogs/directoryAudits', reset: true, times: 1, skip: 5 }),
      f.add({ path: '/oauth2/v2.0/token', status: 503, times: 1 }),
    ];
    f.expireNextBlobs(1);
    let expired = false;
    const result = await ingest.runFetch(
      { hours: 168 },
      {
        onProgress: (progress: FetchProgress) => {
          if (!expired && (progress.sources.directory?.pages ?? 0) >= 3) {
            expired = true;
            f.expireTokens();
          }
        },
      },
    );
    const hits = f.rules.reduce((n, rule) => n + Math.max(0, rule.hits - rule.skip), 0);
    const report = await compareWithExpected(database.db, cloud);
    printFigure('Microsoft faults', {
      faultRules: rules.length + 2,
      faultsSurvived: hits + 2,
      retriesWaited: waits.length,
      eventsExpected: report.expected,
      eventsStored: report.stored,
      lost: report.lost.length,
      duplicated: report.duplicated.length,
    });
    expect(expired, 'tokens were expired mid-run').toBe(true);
    expect(hits, 'the faults were actually hit').toBeGreaterThan(15);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.expected).toBeGreaterThan(1000);
    // The expired blob is reported, not silently dropped; nothing else is.
    expect(
      result.warnings.filter((w) => !/expired/.test(w)),
      result.warnings.join('\n'),
    ).toEqual([]);
    expect(result.warnings.filter((w) => /expired/.test(w))).toHaveLength(1);
    for (const source of ['directory', 'intune'] as const)
      expect(result.per_source[source]?.status).toBe('ok');
  }, 60_000);

  it('fails a source whose storm outlasts the retries, and the next run completes the set', async () => {
    await Promise.all(
      ['events', 'watermarks', 'locks', 'source_health'].map((name) =>
        database.db.collection(name).deleteMany({}),
      ),
    );
    const f = cloud.faults;
    f.clear();
    f.throttle('/auditLogs/directoryAudits', 1, 50);
    f.add({ path: '/deviceManagement/auditEvents', status: 503, times: 50 });
    const stormed = await fastIngest().runFetch({ hours: 168 });
    expect(stormed.per_source.directory?.status).toBe('failed');
    expect(stormed.per_source.intune?.status).toBe('failed');
    expect(stormed.warnings.join('\n')).toMatch(/HTTP 429/);
    expect(stormed.warnings.join('\n')).toMatch(/HTTP 503/);
    const health = await core.ingest.sourceHealth();
    expect(health.find((entry) => entry.source === 'directory')?.status).toBe('failing');

    f.clear();
    const after = await fastIngest().runFetch({ hours: 168 });
    const report = await compareWithExpected(database.db, cloud);
    printFigure('Microsoft storm past the retries', {
      failedRunWarnings: stormed.warnings.length,
      rerunInserted: after.inserted,
      lost: report.lost.length,
      duplicated: report.duplicated.length,
    });
    expect(after.warnings).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
  }, 60_000);
});
