import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMappings } from '../mappings/load-mappings.js';
import { defaultMappings } from '../mappings/load-mappings.js';

/**
 * `mappings.yml` is edited by hand, so anything can be in it. Whatever the file holds, loading it either gives
 * working mappings or a ConfigError naming the file and a line — never another exception, never a hang.
 */

const dir = mkdtempSync(join(tmpdir(), 'aoc-mappings-fuzz-'));
const file = join(dir, 'mappings.yml');
const shipped = readFileSync(new URL('../../../mappings.yml', import.meta.url), 'utf8');
const figures = { inputs: 0, loaded: 0, refused: 0 };

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `[hardening] mappings.yml parser: ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
});

/** Load the text; true when it loaded, false when it was refused as the contract says. */
function loadText(text: string): boolean {
  writeFileSync(file, text);
  figures.inputs += 1;
  let mappings;
  try {
    mappings = loadMappings(file);
  } catch (error) {
    expect(error, String(error)).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
    expect((error as Error).message.startsWith(`${file}:`), (error as Error).message).toBe(true);
    expect((error as Error).message).toMatch(/^[^\n]*:\d+: /);
    figures.refused += 1;
    return false;
  }
  // Loaded mappings must work on anything, like the defaults do.
  expect(typeof mappings.serviceLabel('directory', 'Policy')).toBe('string');
  expect(typeof mappings.resultLabel(undefined)).toBe('string');
  figures.loaded += 1;
  return true;
}

const shippedLines = shipped.split('\n');

/** The shipped file with a few lines deleted, duplicated, or replaced by hostile text. */
const mutatedShipped = fc
  .array(
    fc.tuple(
      fc.nat({ max: shippedLines.length - 1 }),
      fc.constantFrom('delete', 'duplicate', 'replace', 'indent'),
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(
          '  "*": "{actor',
          '  x: [unclosed',
          'services: !!js/function "function(){}"',
          '  ? complex key',
          '  Add *: "{raw.__proto__.polluted}"',
          '  "*": "{raw.constructor.prototype}"',
          '  tab:\t"x"',
          'version: 2',
          '%YAML 9.9',
          '---',
          '...',
          '&a [*a]',
          '\u0000',
        ),
      ),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => {
    const lines = [...shippedLines];
    for (const [at, kind, text] of edits) {
      if (kind === 'delete') lines.splice(at, 1);
      else if (kind === 'duplicate') lines.splice(at, 0, lines[at] ?? '');
      else if (kind === 'indent') lines[at] = `   ${lines[at] ?? ''}`;
      else lines[at] = text;
    }
    return lines.join('\n');
  });

/** Well-formed YAML of the wrong shape: random JSON, or the right keys with wrong-typed values. */
const wrongShape = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => stringify(value)),
  fc
    .record(
      {
        version: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
        services: fc.oneof(
          fc.dictionary(
            fc.constantFrom('directory', 'intune', 'unified', 'other'),
            fc.jsonValue({ maxDepth: 2 }),
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        summaries: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => stringify(value)),
);

describe('mappings.yml parser', () => {
  it('loads the shipped file', () => {
    expect(loadText(shipped)).toBe(true);
  });

  it('loads or refuses with file:line for mutated copies of the shipped file', () => {
    fc.assert(
      fc.property(mutatedShipped, (text) => {
        loadText(text);
      }),
      { numRuns: 60 },
    );
  }, 20_000);

  it('loads or refuses with file:line for YAML of the wrong shape and for arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(wrongShape, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        loadText(text);
      }),
      { numRuns: 60 },
    );
  }, 20_000);

  it('refuses alias bombs and deep nesting quickly', () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      laughs.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    expect(loadText(laughs.join('\n'))).toBe(false);
    expect(loadText(`services: ${'['.repeat(5000)}${']'.repeat(5000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('polluted no prototype through template paths or keys', () => {
    loadText(
      'services:\n  directory:\n    __proto__: x\n    constructor: y\nsummaries:\n  directory:\n    "*": "{raw.__proto__}"\n',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(defaultMappings().serviceLabel('directory', '__proto__')).toEqual(expect.any(String));
  });
});
