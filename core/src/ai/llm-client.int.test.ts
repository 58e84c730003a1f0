import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLlmClient } from './llm-client.js';

/** An "LLM" on 127.0.0.1 that redirects every request: events must never follow a redirect, even on the host. */
let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(307, { location: '/elsewhere/chat/completions' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('LLM client behind the outbound guard', () => {
  it('refuses to follow a redirect, saying so, and never sends the request on', async () => {
    const { ai } = loadConfig({ LLM_API_KEY: 'k', LLM_BASE_URL: base, LLM_TIMEOUT_SECONDS: '5' });
    const llm = createLlmClient(ai);
    const error = await llm.complete([{ role: 'user', content: 'events' }], { maxTokens: 10 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'LlmUnavailableError',
      reason: 'host_refused',
      message: 'LLM_BASE_URL: redirects are not followed',
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((path) => path === '/v1/chat/completions')).toBe(true);
  });
});
