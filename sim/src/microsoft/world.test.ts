import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTimeline, graphTimestamp, parseTicks } from './timeline.js';
import { compareKeys, createWorld, type EventKey } from './world.js';

const ANCHOR = Date.parse('2026-11-20T12:00:00Z');

describe('the generator', () => {
  it('rebuilds the same records from the same seed, and different ones from another', () => {
    const a = createWorld({ seed: 1, events: 500, days: 7, anchorMs: ANCHOR });
    const b = createWorld({ seed: 1, events: 500, days: 7, anchorMs: ANCHOR });
    const c = createWorld({ seed: 2, events: 500, days: 7, anchorMs: ANCHOR });
    for (const seq of [0, 17, 80]) {
      expect(a.record('directoryAudits', seq)).toEqual(b.record('directoryAudits', seq));
      expect(a.record('Audit.Exchange', seq)).toEqual(b.record('Audit.Exchange', seq));
      expect(a.record('directoryAudits', seq)).not.toEqual(c.record('directoryAudits', seq));
    }
    expect(a.tenant.tenantId).toBe(b.tenant.tenantId);
  });

  it('places every event inside the history window, in non-decreasing time order', () => {
    const world = createWorld({ seed: 3, events: 2000, days: 2, anchorMs: ANCHOR });
    const keys = [...world.keys('intuneAuditEvents', { descending: false })];
    expect(keys).toHaveLength(world.streams.intuneAuditEvents.timeline.count);
    for (let i = 1; i < keys.length; i += 1)
      expect(compareKeys(keys[i - 1] as EventKey, keys[i] as EventKey)).toBeLessThan(0);
    const first = Date.parse(String(world.record('intuneAuditEvents', 0).activityDateTime));
    expect(first).toBeGreaterThanOrEqual(ANCHOR - 2 * 86_400_000);
    const last = Date.parse(String(world.record('intuneAuditEvents', keys.length - 1).activityDateTime));
    expect(last).toBeLessThan(ANCHOR);
  });

  it('scans descending from a cursor within time bounds, merging late events in order', () => {
    const world = createWorld({ seed: 4, events: 400, days: 1, anchorMs: ANCHOR });
    world.addLate('directoryAudits', 5, { nowMs: ANCHOR, endMs: ANCHOR - 3_600_000, spreadMs: 3_600_000 });
    const all = [...world.keys('directoryAudits', { descending: true })];
    expect(all).toHaveLength(world.streams.directoryAudits.timeline.count + 5);
    for (let i = 1; i < all.length; i += 1)
      expect(compareKeys(all[i - 1] as EventKey, all[i] as EventKey)).toBeGreaterThan(0);
    const cursor = all[10] as EventKey;
    const low = (all[30] as EventKey).ticks;
    const page = [...world.keys('directoryAudits', { descending: true, after: cursor, low })];
    expect(page).toEqual(all.slice(11, 31));
  });
});

describe('the timeline', () => {
  it('maps any time back to the first event at or after it', () => {
    const timeline = createTimeline(9, 1, 1000, ANCHOR - 86_400_000, 86_400_000);
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 86_400_000 * 10_000 + 10 }), (ticks) => {
        const j = timeline.firstAtOrAfter(ticks);
        if (j < timeline.count) expect(timeline.offsetTicks(j)).toBeGreaterThanOrEqual(ticks);
        if (j > 0) expect(timeline.offsetTicks(j - 1)).toBeLessThan(ticks);
      }),
    );
  });

  it('round-trips Graph timestamps with seven fractional digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 86_400_000 * 10_000 }), (ticks) => {
        expect(parseTicks(graphTimestamp(ANCHOR, ticks), ANCHOR)).toBe(ticks);
      }),
    );
  });
});
