import { describe, expect, it } from 'vitest';
import { assertLlmHostAllowed, guardedFetch } from './llm-host.js';

describe('assertLlmHostAllowed', () => {
  it('accepts any host without a list and a listed host, refuses others naming the host', () => {
    expect(() =>
      assertLlmHostAllowed({ baseUrl: 'https://api.openai.com/v1', allowedDomains: [] }),
    ).not.toThrow();
    expect(() =>
      assertLlmHostAllowed({
        baseUrl: 'https://res.openai.azure.com',
        allowedDomains: ['*.openai.azure.com'],
      }),
    ).not.toThrow();
    expect(() =>
      assertLlmHostAllowed({
        baseUrl: 'https://llm.evil.example/v1',
        allowedDomains: ['*.openai.azure.com'],
      }),
    ).toThrow(/"llm\.evil\.example" is not in LLM_ALLOWED_DOMAINS/);
  });
});

describe('guardedFetch', () => {
  it('never calls out to a disallowed host and forbids redirects on allowed ones', async () => {
    const calls: { url: string; redirect: RequestInit['redirect'] }[] = [];
    const inner = ((input: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: input instanceof Request ? input.url : input.toString(), redirect: init?.redirect });
      return Promise.resolve(new Response('{}'));
    }) as typeof fetch;
    const guarded = guardedFetch({ allowedDomains: ['api.openai.com'] }, inner);
    await expect(
      guarded('https://evil.example/v1/chat/completions', { method: 'POST' }),
    ).rejects.toMatchObject({
      reason: 'host_refused',
    });
    await guarded('https://api.openai.com/v1/chat/completions', { method: 'POST' });
    expect(calls).toEqual([{ url: 'https://api.openai.com/v1/chat/completions', redirect: 'error' }]);
  });
});
