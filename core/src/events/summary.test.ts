import { describe, expect, it } from 'vitest';
import { chooseBucket } from './summary.js';

const DAY = 86_400_000;

describe('chooseBucket', () => {
  it('uses hours for short ranges, days for weeks and months, weeks beyond', () => {
    expect(chooseBucket(DAY)).toBe('hour');
    expect(chooseBucket(3 * DAY)).toBe('hour');
    expect(chooseBucket(7 * DAY)).toBe('day');
    expect(chooseBucket(90 * DAY)).toBe('day');
    expect(chooseBucket(365 * DAY)).toBe('week');
  });
});
