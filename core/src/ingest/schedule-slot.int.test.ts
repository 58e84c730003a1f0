import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { claimScheduleSlot } from './schedule-slot.js';

const database = useTestDatabase('aoc_schedule_slot');
const HOUR = 3_600_000;

describe('claimScheduleSlot', () => {
  it('gives each interval window to exactly one of many concurrent claimants', async () => {
    const at = new Date('2026-03-01T10:05:00Z');
    const owners = Array.from({ length: 8 }, (_, i) => `replica-${i}`);
    const first = await Promise.all(
      owners.map((owner) => claimScheduleSlot(database.db, { at, intervalMs: HOUR, owner })),
    );
    expect(first.filter(Boolean)).toHaveLength(1);
    const winner = owners[first.indexOf(true)]!;

    // Later in the same window (another replica's timer, or a fetch that already finished): still taken.
    const late = new Date('2026-03-01T10:59:59Z');
    for (const owner of owners.filter((owner) => owner !== winner)) {
      expect(await claimScheduleSlot(database.db, { at: late, intervalMs: HOUR, owner })).toBe(false);
    }
    // Its owner may claim it again, to retry a run that could not start.
    expect(await claimScheduleSlot(database.db, { at: late, intervalMs: HOUR, owner: winner })).toBe(true);

    const next = new Date('2026-03-01T11:00:00Z');
    const second = await Promise.all(
      owners.map((owner) => claimScheduleSlot(database.db, { at: next, intervalMs: HOUR, owner })),
    );
    expect(second.filter(Boolean)).toHaveLength(1);
    // A timer that fires late, after the next window was claimed, never takes an older window.
    expect(await claimScheduleSlot(database.db, { at: late, intervalMs: HOUR, owner: 'straggler' })).toBe(
      false,
    );
  });

  it('starts new windows when the interval changes, also to a longer one (smaller window numbers)', async () => {
    const at = new Date('2026-03-02T10:05:00Z');
    const quarter = 15 * 60_000;
    expect(await claimScheduleSlot(database.db, { at, intervalMs: quarter, owner: 'a' })).toBe(true);
    expect(await claimScheduleSlot(database.db, { at, intervalMs: HOUR, owner: 'b' })).toBe(true);
    expect(await claimScheduleSlot(database.db, { at, intervalMs: HOUR, owner: 'c' })).toBe(false);
  });
});
