import { describe, expect, it } from 'vitest';
import { hostAllowed, normalizeHost, unusableHostPatterns } from './host-allowlist.js';

describe('hostAllowed', () => {
  const cases: [host: string, patterns: string[], allowed: boolean][] = [
    ['api.openai.com', ['api.openai.com'], true],
    ['API.OpenAI.com', ['api.openai.com'], true],
    ['api.openai.com.', ['api.openai.com'], true],
    ['api.openai.com', ['API.OPENAI.COM.'], true],
    ['openai.com', ['api.openai.com'], false],
    ['evil-api.openai.com', ['api.openai.com'], false],
    ['myres.openai.azure.com', ['*.openai.azure.com'], true],
    ['a.b.openai.azure.com', ['*.openai.azure.com'], true],
    ['openai.azure.com', ['*.openai.azure.com'], false],
    ['evilopenai.azure.com', ['*.openai.azure.com'], false],
    ['openai.azure.com.evil.com', ['*.openai.azure.com'], false],
    ['myres.openai.azure.com', ['*.OpenAI.Azure.com'], true],
    ['bücher.example', ['xn--bcher-kva.example'], true],
    ['xn--bcher-kva.example', ['Bücher.example'], true],
    ['shop.bücher.example', ['*.bücher.example'], true],
    ['127.0.0.1', ['127.0.0.1'], true],
    ['127.0.0.2', ['127.0.0.1'], false],
    ['[::1]', ['::1'], true],
    ['::1', ['[::1]'], true],
    ['anything.example', ['*'], false],
    ['anything.example', ['*.'], false],
    ['a.example', ['a.*.example'], false],
    ['a.example', [''], false],
    ['a.example', [], false],
    ['', ['*.example'], false],
    ['a..example', ['*.example'], false],
    ['x.example', ['nope.example', ' *.example '], true],
  ];
  it.each(cases)('%s against %j → %s', (host, patterns, allowed) => {
    expect(hostAllowed(host, patterns)).toBe(allowed);
  });
});

describe('normalizeHost', () => {
  it('lower-cases, drops the trailing dot and brackets, and converts IDN to punycode', () => {
    expect(normalizeHost('Bücher.Example.')).toBe('xn--bcher-kva.example');
    expect(normalizeHost('[FE80::1]')).toBe('fe80::1');
    expect(normalizeHost('.')).toBeUndefined();
  });
});

describe('unusableHostPatterns', () => {
  it('lists the patterns that can never match', () => {
    expect(unusableHostPatterns(['*.ok.example', '*', 'a.*.b', 'fine.example', '*.'])).toEqual([
      '*',
      'a.*.b',
      '*.',
    ]);
  });
});
