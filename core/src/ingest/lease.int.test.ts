import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { Lease } from './lease.js';
import { createHealthStore } from './source-health.js';
import { createWatermarks, FencedOutError } from './watermarks.js';

const database = useTestDatabase('aoc_lease');

describe('Lease', () => {
  it('admits one holder, hands over after expiry with a higher fence, and fences out the stalled one', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const clock = () => new Date(now);
    let lostA = false;
    const base = { db: database.db, name: 'fetch:test', ttlMs: 60_000, clock };
    const a = await Lease.acquire({ ...base, owner: 'a', onLost: () => (lostA = true) });
    expect(a).toBeDefined();
    expect(await Lease.acquire({ ...base, owner: 'b' })).toBeUndefined();

    const marks = createWatermarks(database.db, clock);
    await marks.claim('test', 'directory', a!.fence);
    await marks.advance('test', 'directory', a!.fence, { until: new Date(now) });

    now += 61_000; // a stalls past its lease
    const b = await Lease.acquire({ ...base, owner: 'b' });
    expect(b?.fence).toBe(a!.fence + 1);
    await marks.claim('test', 'directory', b!.fence);

    await expect(
      marks.advance('test', 'directory', a!.fence, { until: new Date(now) }),
    ).rejects.toBeInstanceOf(FencedOutError);
    expect(await a!.renew()).toBe(false);
    expect(lostA).toBe(true);
    await a!.release();
    expect(await Lease.live(database.db, ['fetch:test'], clock())).toMatchObject([{ owner: 'b' }]);

    await marks.advance('test', 'directory', b!.fence, { until: new Date(now) });
    expect((await marks.get('test'))?.until?.getTime()).toBe(now);
    await b!.release();
    expect(await Lease.live(database.db, ['fetch:test'], clock())).toEqual([]);
  });
});

describe('source health', () => {
  it('says failing, with the reason, when collection has stopped', async () => {
    const health = createHealthStore(database.db);
    const t0 = new Date('2026-03-01T10:00:00Z');
    const hour = 3_600_000;
    await health.attempt('directory', t0);
    await health.success('directory', t0, { fetched: 5, stored: 5, watermark: t0, warnings: [] });
    await health.attempt('intune', t0);
    await health.failure('intune', t0, {
      message: 'login: POST /t/oauth2/v2.0/token failed (HTTP 401): AADSTS7000222: expired',
      kind: 'credentials',
      fetched: 0,
      stored: 0,
    });

    const soon = await health.read(new Date(t0.getTime() + hour), 60 * 60_000);
    expect(soon.find((h) => h.source === 'directory')).toMatchObject({ status: 'ok', lag_seconds: 3600 });
    expect(soon.find((h) => h.source === 'intune')).toMatchObject({
      status: 'failing',
      reason: expect.stringMatching(/^credentials rejected: .*AADSTS7000222/),
    });
    expect(soon.find((h) => h.source === 'unified')).toMatchObject({ status: 'unknown' });

    const late = await health.read(new Date(t0.getTime() + 3 * hour), 60 * 60_000);
    expect(late.find((h) => h.source === 'directory')).toMatchObject({
      status: 'failing',
      reason: 'no successful fetch for 180 min (expected every 60 min)',
    });
    // Without a schedule there is no expected interval, so an old success is not a failure.
    expect((await health.read(new Date(t0.getTime() + 3 * hour), undefined))[0]?.status).toBe('ok');

    const next = new Date(t0.getTime() + 2 * hour);
    await health.schedule(next);
    expect((await health.read(t0, undefined)).map((h) => h.next_run_at)).toEqual([next, next, next]);
  });
});
