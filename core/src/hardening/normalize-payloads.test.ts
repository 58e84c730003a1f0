import fc from 'fast-check';
import { exampleRecords } from '@aoc/sim';
import { afterAll, describe, expect, it } from 'vitest';
import type { Source } from '../events/model.js';
import { defaultMappings } from '../mappings/load-mappings.js';
import { normalizeEvent } from '../normalize/normalize-event.js';

/**
 * Graph and Management Activity payloads change without notice. Real-shaped records with fields removed,
 * added, or of the wrong type must still normalize: no exception, the raw record kept as it came, the stored
 * fields well-typed, and `unknown_shape` set when the record no longer says when it happened.
 */

const mappings = defaultMappings();
const examples = exampleRecords({ perSource: 8 });
const records: { source: Source; raw: Record<string, unknown> }[] = Object.entries(examples).flatMap(
  ([name, list]) =>
    list.map((raw) => ({
      source: name === 'directoryAudits' ? 'directory' : name === 'intuneAuditEvents' ? 'intune' : 'unified',
      raw: raw,
    })),
);
const figures = { inputs: 0, unknownShape: 0 };

afterAll(() => {
  console.log(
    `[hardening] payload normalization: ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
});

const TIME_FIELDS = /^(activityDateTime|CreationTime|createdDateTime|time|timestamp)$/i;

const wrongValue = fc.oneof(
  fc.constantFrom(
    null,
    0,
    -1,
    1e308,
    true,
    '',
    '\u0000',
    'not a date',
    '9999-99-99T99:99:99Z',
    [],
    {},
    [null],
    { $ne: null },
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

type Edit =
  { kind: 'delete' | 'retype'; at: number; value: unknown } | { kind: 'add'; key: string; value: unknown };

const edits = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constantFrom('delete' as const, 'retype' as const),
      at: fc.nat(),
      value: wrongValue,
    }),
    fc.record({
      kind: fc.constant('add' as const),
      key: fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom('__proto__', 'constructor', '$where', 'id', 'value'),
      ),
      value: wrongValue,
    }),
  ),
  { minLength: 1, maxLength: 6 },
);

/** Apply edits to a deep copy; the edits reach one level into nested objects too. */
function mutate(raw: Record<string, unknown>, list: Edit[]): Record<string, unknown> {
  const copy = structuredClone(raw);
  for (const edit of list) {
    const keys = Object.keys(copy);
    if (edit.kind === 'add') {
      Object.defineProperty(copy, edit.key, {
        value: edit.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      continue;
    }
    if (keys.length === 0) continue;
    const key = keys[edit.at % keys.length]!;
    const nested = copy[key];
    if (nested !== null && typeof nested === 'object' && !Array.isArray(nested) && edit.at % 3 === 0) {
      const inner = nested as Record<string, unknown>;
      const innerKeys = Object.keys(inner);
      const innerKey = innerKeys[edit.at % Math.max(innerKeys.length, 1)];
      if (innerKey !== undefined) {
        if (edit.kind === 'delete') delete inner[innerKey];
        else inner[innerKey] = edit.value;
      }
      continue;
    }
    if (edit.kind === 'delete') delete copy[key];
    else copy[key] = edit.value;
  }
  return copy;
}

describe('normalizeEvent over damaged payloads', () => {
  it('has real records of every source to damage', () => {
    expect(new Set(records.map((r) => r.source))).toEqual(new Set(['directory', 'intune', 'unified']));
  });

  it('normalizes every damaged record without throwing, keeping its raw body', () => {
    fc.assert(
      fc.property(fc.constantFrom(...records), edits, ({ source, raw }, list) => {
        const damaged = mutate(raw, list);
        const snapshot = JSON.stringify(damaged);
        figures.inputs += 1;
        const event = normalizeEvent(damaged, source, {
          mappings,
          receivedAt: new Date('2026-01-01T00:00:00Z'),
        });
        expect(JSON.stringify(event.raw)).toBe(snapshot);
        expect(JSON.stringify(damaged), 'the input is not modified').toBe(snapshot);
        expect(event.timestamp).toBeInstanceOf(Date);
        expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
        for (const field of [
          'id',
          'service',
          'operation',
          'result',
          'actor_display',
          'display_summary',
          'dedupe_key',
        ] as const) {
          expect(typeof event[field], field).toBe('string');
        }
        expect(event.target_displays.every((t) => typeof t === 'string')).toBe(true);
        expect(event.search_terms.every((t) => typeof t === 'string')).toBe(true);
        const timeGone = !Object.keys(damaged).some(
          (key) =>
            TIME_FIELDS.test(key) &&
            typeof damaged[key] === 'string' &&
            !Number.isNaN(Date.parse(damaged[key])),
        );
        if (timeGone) expect(event.unknown_shape, 'no usable time: flagged').toBe(true);
        if (event.unknown_shape) figures.unknownShape += 1;
      }),
      { numRuns: 400 },
    );
  });

  it('normalizes arbitrary JSON as an unknown shape, never throwing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Source>('directory', 'intune', 'unified'),
        fc.oneof(fc.object({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 })),
        (source, value) => {
          figures.inputs += 1;
          const event = normalizeEvent(value as Record<string, unknown>, source, { mappings });
          expect(event.unknown_shape).toBe(true);
          expect(event.raw).toBeDefined();
          expect(typeof event.dedupe_key).toBe('string');
          figures.unknownShape += 1;
        },
      ),
      { numRuns: 300 },
    );
  });
});
