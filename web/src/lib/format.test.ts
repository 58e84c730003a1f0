import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatRelative, formatTime, resultClass } from './format.js';

describe('formatting', () => {
  it('formats instants in local time, dashes for missing or bad values', () => {
    const d = new Date(2026, 10, 22, 9, 5, 7);
    expect(formatTime(d.toISOString())).toBe('2026-11-22 09:05:07');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('garbage')).toBe('—');
  });

  it('formats durations and relative times', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000)).toBe('12 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    const now = new Date('2026-11-22T12:00:00Z');
    expect(formatRelative('2026-11-22T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-11-22T15:00:00Z', now)).toBe('in 3 h');
    expect(formatRelative(null, now)).toBe('—');
  });

  it('formats counts and result colours', () => {
    expect(formatCount(123456)).toBe('123,456');
    expect(formatCount(10000, false)).toBe('10,000+');
    expect(resultClass('Success')).toBe('result-success');
    expect(resultClass('failure')).toBe('result-failure');
    expect(resultClass('PartiallySucceeded')).toBe('');
  });
});
