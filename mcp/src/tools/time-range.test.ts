import { describe, expect, it } from 'vitest';
import { resolveTime } from './time-range.js';

const now = new Date('2024-05-10T12:00:00.000Z');

describe('resolveTime', () => {
  it('turns spans before now into ISO date-times', () => {
    expect(resolveTime('24h', now)).toBe('2024-05-09T12:00:00.000Z');
    expect(resolveTime('last 7 days', now)).toBe('2024-05-03T12:00:00.000Z');
    expect(resolveTime('90 minutes ago', now)).toBe('2024-05-10T10:30:00.000Z');
    expect(resolveTime('past 2w', now)).toBe('2024-04-26T12:00:00.000Z');
    expect(resolveTime('now', now)).toBe(now.toISOString());
  });

  it('passes ISO dates and unknown forms through for core to validate, and drops blanks', () => {
    expect(resolveTime('2024-05-01T00:00:00Z', now)).toBe('2024-05-01T00:00:00Z');
    expect(resolveTime('3 fortnights', now)).toBe('3 fortnights');
    expect(resolveTime('  ', now)).toBeUndefined();
    expect(resolveTime(undefined, now)).toBeUndefined();
  });
});
