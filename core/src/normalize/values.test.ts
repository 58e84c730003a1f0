import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './values.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('parseTimestamp', () => {
  it.each([
    ['2026-02-12T06:43:08', '2026-02-12T06:43:08.000Z'],
    ['2026-02-12T06:43:08Z', '2026-02-12T06:43:08.000Z'],
    ['2026-02-12T06:43:08.1234567Z', '2026-02-12T06:43:08.123Z'],
    ['2026-02-12T06:43:08.1', '2026-02-12T06:43:08.100Z'],
    ['2026-02-28T23:59:59.999Z', '2026-02-28T23:59:59.999Z'],
    ['2026-02-30T06:43:08Z', '2026-03-02T06:43:08.000Z'],
    ['2026-02-12T24:00:00Z', '2026-02-13T00:00:00.000Z'],
    ['2026-02-12T06:43:08+01:00', '2026-02-12T05:43:08.000Z'],
    ['2026-02-12T06:43', '2026-02-12T06:43:00.000Z'],
  ])('reads %s as %s', (value, iso) => {
    expect(parseTimestamp(value)?.toISOString()).toBe(iso);
  });

  it.each(['2026-02-12T06:43:08.', '2026-13-12T06:43:08Z', '2026-02-12T06:43:60Z', '12345', 'yesterday'])(
    'rejects %s',
    (value) => {
      expect(parseTimestamp(value)).toBeUndefined();
    },
  );

  it('agrees with Date.parse, zone-less values read as UTC', () => {
    const timestamp = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.stringMatching(/^\d{0,9}$/)),
        fc.constantFrom('', 'Z', 'z', '+02:00', ' '),
      )
      .map(
        ([y, mo, d, h, mi, s, fraction, zone]) =>
          `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}` +
          `${fraction === null ? '' : `.${fraction}`}${zone}`,
      );
    fc.assert(
      fc.property(timestamp, (value) => {
        const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value);
        const ms = Date.parse(zoneless ? `${value}Z` : value);
        expect(parseTimestamp(value)?.getTime()).toBe(Number.isNaN(ms) ? undefined : ms);
      }),
      { numRuns: 3000 },
    );
  });
});
