import { describe, expect, it } from 'vitest';
import type { ResolveHost } from '../outbound/resolve-host.js';
import { assertLlmUrlAllowed, checkLlmDestination, createLlmGuard } from './llm-host.js';

const base = { allowedDomains: [], allowPrivateNetwork: false, timeoutSeconds: 30 };

/** DNS answers of a test world (no network). */
const fakeDns =
  (answers: Record<string, string[]>): ResolveHost =>
  (host) =>
    Promise.resolve(
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const),
    );

const dns = fakeDns({
  'api.openai.com': ['162.159.140.245'],
  'res.privatelink.openai.azure.com': ['10.1.2.3'],
  'res6.privatelink.openai.azure.com': ['fd12:3456::7'],
  'meta.example': ['169.254.169.254'],
  'ec2-meta.example': ['fd00:ec2::254'],
  'linklocal.example': ['169.254.10.1'],
  'mapped.example': ['::ffff:10.1.2.3'],
  'loop.example': ['127.0.0.1'],
});

describe('assertLlmUrlAllowed (startup)', () => {
  it('accepts a public https URL, with no list and with a matching list', () => {
    expect(() => assertLlmUrlAllowed({ ...base, baseUrl: 'https://api.openai.com/v1' })).not.toThrow();
    expect(() =>
      assertLlmUrlAllowed({
        ...base,
        baseUrl: 'https://res.openai.azure.com',
        allowedDomains: ['*.openai.azure.com'],
      }),
    ).not.toThrow();
  });

  it.each([
    ['https://llm.evil.example/v1', /LLM_BASE_URL: host "llm\.evil\.example" is not in LLM_ALLOWED_DOMAINS/],
    ['http://api.openai.com/v1', /LLM_BASE_URL: only https/],
    ['https://169.254.169.254/v1', /link-local/],
    ['https://2852039166/v1', /"169\.254\.169\.254": 169\.254\.169\.254 is a link-local/],
    ['https://167772165/v1', /10\.0\.0\.5 is a private address \(set LLM_ALLOW_PRIVATE_NETWORK=true/],
    ['https://[::ffff:10.0.0.5]/v1', /IPv4-mapped/],
  ])('refuses %s with a ConfigError naming the setting', (baseUrl, message) => {
    const allowedDomains = baseUrl.includes('evil') ? ['*.openai.azure.com'] : [];
    let error: unknown;
    try {
      assertLlmUrlAllowed({ ...base, baseUrl, allowedDomains });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CONFIG', message: expect.stringMatching(message) as unknown });
  });

  it('accepts http only to a loopback host LLM_BASE_URL names itself (a local model or proxy)', () => {
    expect(() => assertLlmUrlAllowed({ ...base, baseUrl: 'http://127.0.0.1:4000/v1' })).not.toThrow();
    expect(() => assertLlmUrlAllowed({ ...base, baseUrl: 'http://localhost:11434/v1' })).not.toThrow();
    expect(() => assertLlmUrlAllowed({ ...base, baseUrl: 'http://[::1]:4000/v1' })).not.toThrow();
    expect(() => assertLlmUrlAllowed({ ...base, baseUrl: 'http://llm.example/v1' })).toThrow(/only https/);
  });
});

describe('checkLlmDestination (per call, DNS included)', () => {
  const check = (url: string, allowPrivateNetwork = false) => {
    const ai = { ...base, baseUrl: url, allowPrivateNetwork };
    return checkLlmDestination(createLlmGuard(ai, { resolve: dns }), ai, url);
  };

  it('lets a public host through', async () => {
    await expect(check('https://api.openai.com/v1')).resolves.toBeUndefined();
  });

  it.each([
    ['https://res.privatelink.openai.azure.com/', /10\.1\.2\.3 is a private address \(set LLM_ALLOW_PRIVATE/],
    ['https://res6.privatelink.openai.azure.com/', /unique local/],
    ['https://meta.example/', /169\.254\.169\.254 is a link-local/],
    ['https://mapped.example/', /IPv4-mapped IPv6 address \(of 10\.1\.2\.3\)/],
    ['https://loop.example/', /127\.0\.0\.1 is a loopback/],
  ])('refuses %s as host_refused, naming why', async (url, message) => {
    await expect(check(url)).rejects.toMatchObject({
      name: 'LlmUnavailableError',
      reason: 'host_refused',
      message: expect.stringMatching(message) as unknown,
    });
  });

  it('with LLM_ALLOW_PRIVATE_NETWORK, lets private endpoints through but never metadata, link-local or loopback', async () => {
    await expect(check('https://res.privatelink.openai.azure.com/', true)).resolves.toBeUndefined();
    await expect(check('https://res6.privatelink.openai.azure.com/', true)).resolves.toBeUndefined();
    for (const [url, why] of [
      ['https://meta.example/', /link-local/],
      ['https://ec2-meta.example/', /cloud metadata/],
      ['https://linklocal.example/', /link-local/],
      ['https://loop.example/', /loopback/],
      ['https://mapped.example/', /IPv4-mapped/],
    ] as const) {
      await expect(check(url, true)).rejects.toMatchObject({
        message: expect.stringMatching(why) as unknown,
      });
    }
    const ai = { ...base, baseUrl: 'https://res.privatelink.openai.azure.com/', allowPrivateNetwork: true };
    const pinned = await createLlmGuard(ai, { resolve: dns }).resolve(ai.baseUrl);
    expect(pinned.address).toEqual({ address: '10.1.2.3', family: 4 });
  });
});
