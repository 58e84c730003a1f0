import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import type { Source } from '../events/model.js';
import type { FetchProgress } from './schemas.js';
import { expectedBySource, startHarness } from '../test-support/ingest-harness.js';
import { createTestCore } from '../test-support/test-core.js';
import type { Harness } from '../test-support/ingest-harness.js';

const database = useTestDatabase('aoc_ingest');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[3] = {}): Promise<Harness> {
  harness = await startHarness(database.db, database.name, database.uri, {
    ...options,
    sim: { blobSize: 100, ...options.sim },
    ingest: { managementRequestsPerMinute: 100_000, ...options.ingest },
  });
  return harness;
}

const ALL: Source[] = ['directory', 'intune', 'unified'];

/** Every expected id stored exactly once, and nothing else. */
async function expectExactly(h: Harness, sources: Source[] = ALL) {
  const stored = await h.storedIds();
  const expected = expectedBySource(h.sim);
  for (const source of sources) {
    expect(stored[source].length, `${source}: no duplicates`).toBe(new Set(stored[source]).size);
    expect(new Set(stored[source]), `${source}: exactly the generated ids`).toEqual(expected[source]);
  }
  return expected;
}

describe('runFetch against the sim cloud', () => {
  it('stores exactly the generated set, a second fetch adds nothing, and late events are picked up', async () => {
    let offsetMs = 0;
    const h = await start({ sim: { events: 3000 }, clock: () => new Date(Date.now() + offsetMs) });
    const first = await h.ingest.runFetch();
    expect(first.warnings).toEqual([]);
    const expected = await expectExactly(h);
    expect(first.inserted).toBe(expected.directory.size + expected.intune.size + expected.unified.size);
    expect(first.count).toBe(first.inserted + first.updated);
    for (const source of ALL) expect(first.per_source[source]?.status).toBe('ok');
    expect(first.per_source.unified?.blobs).toBeGreaterThan(0);

    // Every Management Activity call, blob downloads included, names the publisher.
    const management = h.sim.requests.filter((r) => r.service === 'management');
    expect(management.length).toBeGreaterThan(0);
    for (const request of management) expect(request.query.PublisherIdentifier).toBe(h.sim.tenantId);
    // Unnamed actors and targets were looked up, at most 1,000 ids a call, and named in the stored events.
    const lookups = h.sim.requests.filter((r) => r.path.endsWith('/directoryObjects/getByIds'));
    expect(lookups.length).toBeGreaterThan(0);
    for (const lookup of lookups) {
      expect(lookup.status).toBe(200);
      expect((lookup.body as { ids: string[] }).ids.length).toBeLessThanOrEqual(1000);
    }
    const unnamed = (lookups[0]?.body as { ids: string[] }).ids;
    const named = await database.db
      .collection('events')
      .countDocuments({ source: 'directory', target_displays: { $in: unnamed } });
    expect(named, 'no stored target is left as a bare id Graph could resolve').toBe(0);
    // Subscriptions were started once each, because the list said they were not enabled.
    expect(management.filter((r) => r.path.endsWith('/subscriptions/start'))).toHaveLength(5);

    h.sim.requests.length = 0;
    const second = await h.ingest.runFetch();
    expect(second.inserted).toBe(0);
    expect(h.sim.requests.filter((r) => r.path.endsWith('/subscriptions/start'))).toHaveLength(0);

    const late = h.sim.addEvents(70, { lateByHours: 0 });
    // The Management API lists by the second: let the late blobs' second pass before the next run.
    offsetMs += 2000;
    const third = await h.ingest.runFetch();
    expect(third.inserted).toBe(late.length);
    await expectExactly(h);

    const health = await h.ingest.sourceHealth();
    for (const entry of health) {
      expect(entry.status, `${entry.source}: ${entry.reason}`).toBe('ok');
      expect(entry.last_success_at).toBeInstanceOf(Date);
      expect(entry.lag_seconds).not.toBeNull();
    }
  });

  it('stores all of 50,000 generated events exactly once', { timeout: 240_000 }, async () => {
    const h = await start({ sim: { events: 50_000, blobSize: 1000 }, ingest: { batchSize: 1000 } });
    const result = await h.ingest.runFetch();
    expect(result.warnings).toEqual([]);
    const expected = await expectExactly(h);
    expect(result.inserted).toBe(expected.directory.size + expected.intune.size + expected.unified.size);
    expect(result.inserted).toBe(h.sim.generated().total);
  });
});

describe('core.ingest', () => {
  it('is wired into createCore with the configured mappings', async () => {
    const h = await start({ sim: { events: 300 } });
    const core = await createTestCore(database, {
      env: {
        TENANT_ID: h.sim.tenantId,
        CLIENT_ID: h.sim.clientId,
        CLIENT_SECRET: h.sim.clientSecret,
        LOGIN_BASE_URL: h.sim.urls.login,
        GRAPH_BASE_URL: h.sim.urls.graph,
        MANAGEMENT_BASE_URL: h.sim.urls.management,
      },
    });
    try {
      const result = await core.ingest.runFetch({ sources: ['intune'], hours: '24' as unknown as number });
      expect(result.per_source.intune?.status).toBe('ok');
      expect(result.per_source.directory).toBeUndefined();
      const stored = await h.storedIds();
      expect(stored.intune.length).toBe(result.inserted);
      expect(stored.intune.length).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });
});

describe('faults end with nothing lost and nothing duplicated', () => {
  it('waits out 429 storms as Retry-After asks, and rides over 503s and connection resets', async () => {
    // Every blob goes through the streaming parser here (threshold 0), resets included.
    const h = await start({ sim: { events: 1500 }, ingest: { streamThresholdBytes: 0 } });
    h.sim.faults.throttle('/auditLogs/directoryAudits', 3, 4);
    h.sim.faults.add({ path: '/deviceManagement/auditEvents', status: 503, times: 3 });
    h.sim.faults.add({ path: '/activity/feed/subscriptions/content', status: 503, times: 2 });
    h.sim.faults.reset('/activity/feed/audit/', 3);
    h.sim.faults.add({ path: '/auditLogs/directoryAudits', reset: true, times: 1, skip: 6 });
    const result = await h.ingest.runFetch();
    expect(result.warnings).toEqual([]);
    await expectExactly(h);
    expect(h.delays.filter((ms) => ms === 3000)).toHaveLength(4);
  });

  it('reports an expired blob as a warning, stores everything else, and keeps the source running', async () => {
    const h = await start({ sim: { events: 1500 } });
    h.sim.faults.expireNextBlobs(1);
    const result = await h.ingest.runFetch();
    expect(result.per_source.unified?.status).toBe('partial');
    expect(result.warnings.filter((w) => /^unified: .*expired/.test(w))).toHaveLength(1);
    await expectExactly(h);
    const unified = (await h.ingest.sourceHealth()).find((entry) => entry.source === 'unified');
    expect(unified?.status).toBe('degraded');
    expect(unified?.reason).toMatch(/expired/);
  });

  it('refreshes a token that expires mid-run without restarting or looping', async () => {
    const h = await start({ sim: { events: 3000, knobs: { graphPageSize: 100 } } });
    let expired = false;
    const result = await h.ingest.runFetch(
      {},
      {
        onProgress: (progress) => {
          if (!expired && (progress.sources.directory?.pages ?? 0) >= 2) {
            expired = true;
            h.sim.faults.expireTokens();
          }
        },
      },
    );
    expect(expired).toBe(true);
    expect(result.warnings).toEqual([]);
    await expectExactly(h);
    const logins = h.sim.requests.filter((r) => r.service === 'login');
    expect(logins.length).toBeLessThanOrEqual(4);
    const directoryPages = h.sim.requests.filter((r) => r.path.endsWith('/auditLogs/directoryAudits'));
    const firstPages = directoryPages.filter((r) => r.query.$skiptoken === undefined && r.status === 200);
    expect(firstPages, 'paging did not restart').toHaveLength(1);
  });

  it('loses and duplicates nothing when a run is aborted mid-fetch and run again', async () => {
    const h = await start({ sim: { events: 3000, knobs: { graphPageSize: 100 } } });
    const controller = new AbortController();
    const aborted = await h.ingest.runFetch(
      {},
      {
        signal: controller.signal,
        onProgress: (progress) => {
          const stored = Object.values(progress.sources).reduce((n, s) => n + (s?.events_stored ?? 0), 0);
          if (stored >= 500) controller.abort(new Error('operator cancelled'));
        },
      },
    );
    expect(aborted.warnings.some((w) => w.includes('aborted: operator cancelled'))).toBe(true);
    expect(Object.values(aborted.per_source).some((r) => r?.status === 'failed')).toBe(true);
    const partial = await h.storedIds();
    expect(partial.directory.length + partial.intune.length + partial.unified.length).toBeLessThan(
      h.sim.generated().total,
    );

    const rerun = await h.ingest.runFetch();
    expect(rerun.warnings).toEqual([]);
    await expectExactly(h);
  });

  it('waits out the lease of a process killed mid-fetch, then completes the set', async () => {
    let offsetMs = 0;
    const h = await start({ sim: { events: 900 }, clock: () => new Date(Date.now() + offsetMs) });
    // What a killed process leaves behind: part of the events stored, leases held, watermarks unmoved.
    const controller = new AbortController();
    await h.ingest.runFetch(
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          if ((p.sources.directory?.events_stored ?? 0) > 0) controller.abort(new Error('killed'));
        },
      },
    );
    const expiresAt = new Date(Date.now() + 30_000);
    for (const source of ALL) {
      await database.db
        .collection('locks')
        .updateOne(
          { _id: `fetch:${source}` as never },
          { $set: { owner: 'dead-process', expires_at: expiresAt } },
        );
    }
    await expect(h.replica().runFetch()).rejects.toMatchObject({ code: 'CONFLICT' });
    offsetMs += 31_000;
    const rerun = await h.replica().runFetch();
    expect(rerun.warnings).toEqual([]);
    await expectExactly(h);
  });

  it('marks a source failing with the reason when the credentials are rejected', async () => {
    const h = await start({ sim: { events: 300 }, env: { CLIENT_SECRET: 'wrong-secret' } });
    const result = await h.ingest.runFetch();
    expect(result.inserted).toBe(0);
    for (const source of ALL) expect(result.per_source[source]?.status).toBe('failed');
    expect(result.warnings.join('\n')).not.toContain('wrong-secret');
    const health = await h.ingest.sourceHealth();
    for (const entry of health) {
      expect(entry.status).toBe('failing');
      expect(entry.reason).toMatch(/^credentials rejected: .*AADSTS/);
    }
  });

  it('records the stretch the Management API has forgotten as an unrecoverable gap', async () => {
    const h = await start({ sim: { events: 600 } });
    await h.ingest.runFetch({ sources: ['unified'] });
    const nineDaysAgo = new Date(Date.now() - 9 * 86_400_000);
    await database.db
      .collection('watermarks')
      .updateOne({ _id: 'unified:Audit.Exchange' as never }, { $set: { until: nineDaysAgo } });
    const result = await h.ingest.runFetch({ sources: ['unified'] });
    expect(result.warnings.some((w) => /Audit\.Exchange: events between .* are lost/.test(w))).toBe(true);
    const unified = (await h.ingest.sourceHealth()).find((entry) => entry.source === 'unified');
    expect(unified?.gaps).toHaveLength(1);
    expect(unified?.gaps[0]?.from.getTime()).toBe(nineDaysAgo.getTime());
    expect(unified?.status).toBe('degraded');
  });
});

/** Call the sim's Management Activity API directly, as an admin tool would. */
async function managementCall(h: Harness, operation: string, query: string) {
  const token = (await (
    await fetch(`${h.sim.urls.login}/${h.sim.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: h.sim.clientId,
        client_secret: h.sim.clientSecret,
        scope: `${h.sim.urls.management}/.default`,
        grant_type: 'client_credentials',
      }),
    })
  ).json()) as { access_token: string };
  const url = `${h.sim.urls.management}/api/v1.0/${h.sim.tenantId}/activity/feed/subscriptions/${operation}?${query}&PublisherIdentifier=${h.sim.tenantId}`;
  return fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token.access_token}` } });
}

describe('subscriptions', () => {
  it('restarts a disabled subscription after the pause, and shows the source failing until then', async () => {
    let offsetMs = 0;
    const h = await start({ sim: { events: 600 }, clock: () => new Date(Date.now() + offsetMs) });
    await h.ingest.runFetch({ sources: ['unified'] });
    expect((await managementCall(h, 'stop', 'contentType=Audit.Exchange')).status).toBe(200);

    // Within 15 minutes of our own start, /start is not called again: the source says why it is failing.
    offsetMs += 60_000;
    h.sim.requests.length = 0;
    const paused = await h.ingest.runFetch({ sources: ['unified'] });
    expect(h.sim.requests.filter((r) => r.path.endsWith('/subscriptions/start'))).toHaveLength(0);
    expect(paused.per_source.unified?.status).toBe('partial');
    expect(paused.warnings.join('\n')).toMatch(/Audit\.Exchange: subscription disabled/);
    const failing = (await h.ingest.sourceHealth()).find((entry) => entry.source === 'unified');
    expect(failing).toMatchObject({
      status: 'failing',
      reason: expect.stringMatching(/^subscription disabled: /),
    });

    offsetMs += 15 * 60_000;
    const late = h.sim.addEvents(7, { lateByHours: 0, sources: ['Audit.Exchange'] });
    offsetMs += 2000;
    const restarted = await h.ingest.runFetch({ sources: ['unified'] });
    expect(h.sim.requests.filter((r) => r.path.endsWith('/subscriptions/start'))).toHaveLength(1);
    expect(restarted.warnings).toEqual([
      'unified: Audit.Exchange: subscription was disabled; restarted it (events in between may be missing)',
    ]);
    expect(restarted.inserted).toBe(late.length);
    const healthy = (await h.ingest.sourceHealth()).find((entry) => entry.source === 'unified');
    expect(healthy?.last_error).toBeNull();
    await expectExactly(h, ['unified']);
  });
});

describe('single flight', () => {
  it('refuses a second concurrent runFetch with the running job’s progress', async () => {
    const h = await start({ sim: { events: 600, latencyMs: 5 } });
    const running = h.ingest.runFetch();
    await expect(h.ingest.runFetch()).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'fetch already running',
      details: { progress: { sources: { directory: expect.any(Object) } } },
    });
    expect(h.ingest.progress()?.run_id).toEqual(expect.any(String));
    await running;
    expect(h.ingest.progress()).toBeNull();
    await expectExactly(h);
  });

  it('tells progress watchers of the start, every stored batch and the end of each run', async () => {
    const h = await start({ sim: { events: 600 } });
    const seen: (FetchProgress | null)[] = [];
    const unwatch = h.ingest.watchProgress((progress) => seen.push(progress));
    // A broken watcher is the watcher's problem, not the run's.
    const unwatchBroken = h.ingest.watchProgress(() => {
      throw new Error('watcher bug');
    });
    const result = await h.ingest.runFetch();
    expect(result.warnings).toEqual([]);
    expect(Object.values(seen[0]!.sources).map((s) => s.state)).toEqual(['pending', 'pending', 'pending']);
    expect(seen.at(-1)).toBeNull();
    const last = seen.at(-2)!;
    expect(Object.values(last.sources).map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect(Object.values(last.sources).reduce((n, s) => n + s.events_stored, 0)).toBe(result.count);
    const stored = seen.map((p) => Object.values(p?.sources ?? {}).reduce((n, s) => n + s.events_stored, 0));
    expect(new Set(stored.slice(0, -1)).size, 'each stored batch is announced').toBeGreaterThan(3);

    unwatch();
    unwatchBroken();
    const before = seen.length;
    await h.ingest.runFetch();
    expect(seen).toHaveLength(before);
  });

  it('answers another instance with the running fetch’s progress, read from the leases', async () => {
    const h = await start({ sim: { events: 1500, latencyMs: 3 } });
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const first = h.ingest.runFetch({}, { onProgress: () => markStarted() });
    await started;
    await expect(h.replica().runFetch()).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'fetch already running',
      details: { progress: { run_id: h.ingest.progress()?.run_id } },
    });
    await first;
    await expectExactly(h);
  });

  it('never lets two instances on one database fetch the same source at once', async () => {
    const h = await start({ sim: { events: 1500, latencyMs: 3 } });
    const other = h.replica();
    const outcomes = await Promise.allSettled([h.ingest.runFetch(), other.runFetch()]);
    const fetchedBy = new Map<Source, number>();
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        // The other instance's progress comes from its leases in the database.
        expect(outcome.reason).toMatchObject({
          code: 'CONFLICT',
          details: { progress: { run_id: expect.any(String) } },
        });
        continue;
      }
      for (const [source, result] of Object.entries(outcome.value.per_source)) {
        if (result.status !== 'skipped')
          fetchedBy.set(source as Source, (fetchedBy.get(source as Source) ?? 0) + 1);
      }
    }
    for (const source of ALL) expect(fetchedBy.get(source), source).toBe(1);
    await expectExactly(h);
    expect(await database.db.collection('locks').countDocuments({ owner: { $ne: null } })).toBe(0);
  });
});
