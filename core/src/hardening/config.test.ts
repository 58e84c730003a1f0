import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig, SECRET_KEYS } from '../config.js';

/**
 * The environment is typed by hand too. Any set of variables gives a Config or one ConfigError listing the
 * problems — never another exception — and a refused secret is never echoed back.
 */

const KEYS = Object.keys(EnvSchema.shape);
const figures = { inputs: 0, loaded: 0, refused: 0 };

afterAll(() => {
  console.log(
    `[hardening] config parser: ${Object.entries(figures)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
});

const hostileValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '65536',
    '1e3',
    'true',
    'TRUE',
    'yes please',
    'http://evil.example',
    'https://',
    'javascript:alert(1)',
    'http://127.0.0.1:1',
    'mongodb://user:p4ss@host/db?authSource=admin',
    '\u0000',
    'a'.repeat(10_000),
    '__proto__',
    '00000000-0000-0000-0000-000000000000',
    '*,,,,*',
  ),
);

const env = fc.dictionary(
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  ),
  hostileValue,
  { maxKeys: 12 },
);

describe('config parser', () => {
  it('gives a Config or one ConfigError for any environment', () => {
    fc.assert(
      fc.property(env, (vars) => {
        figures.inputs += 1;
        try {
          const config = loadConfig(vars);
          expect(config.server.port).toBeGreaterThan(0);
          figures.loaded += 1;
        } catch (error) {
          expect(error, String(error)).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
          expect((error as Error).message).toMatch(/^Invalid configuration:\n {2}- /);
          figures.refused += 1;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never echoes a secret value in its error message', () => {
    const secretValue = fc
      .string({ unit: 'grapheme-ascii', minLength: 12, maxLength: 30 })
      .map((s) => `S3cr3t${s.replace(/[\s,"]/g, 'x')}`);
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_KEYS), secretValue, env, (key, value, vars) => {
        figures.inputs += 1;
        try {
          loadConfig({ ...vars, [key]: value, SIEM_ENABLED: 'maybe' });
          figures.loaded += 1;
        } catch (error) {
          figures.refused += 1;
          expect((error as Error).message).not.toContain(value);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('left the prototype alone', () => {
    loadConfig({ ['__proto__' as string]: 'x', constructor: 'y' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
