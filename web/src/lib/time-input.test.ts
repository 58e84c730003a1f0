import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './time-input.js';

describe('datetime-local conversion', () => {
  it('round-trips an instant at minute precision in local time', () => {
    const iso = new Date(2026, 10, 22, 9, 5).toISOString();
    expect(toLocalInput(iso)).toBe('2026-11-22T09:05');
    expect(fromLocalInput('2026-11-22T09:05')).toBe(iso);
  });

  it('gives empty values for blanks and garbage', () => {
    expect(toLocalInput('')).toBe('');
    expect(toLocalInput('nope')).toBe('');
    expect(fromLocalInput('')).toBe('');
    expect(fromLocalInput('nope')).toBe('');
  });
});
