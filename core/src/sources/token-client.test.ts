import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../http/index.js';
import { createTokenClient } from './token-client.js';

function loginServer(expiresIn = 3600) {
  const bodies: URLSearchParams[] = [];
  let issued = 0;
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    bodies.push(new URLSearchParams(init.body as string));
    await Promise.resolve();
    issued += 1;
    return new Response(JSON.stringify({ access_token: `tok-${issued}`, expires_in: expiresIn }), {
      status: 200,
    });
  }) as unknown as typeof fetch;
  return { fetchImpl, bodies };
}

describe('createTokenClient', () => {
  it('caches per scope, shares one request between concurrent callers, and refreshes before expiry', async () => {
    const { fetchImpl, bodies } = loginServer(3600);
    let now = Date.parse('2026-01-01T00:00:00Z');
    const tokens = createTokenClient({
      http: createHttpClient({ fetch: fetchImpl }),
      loginBaseUrl: 'http://127.0.0.1:1',
      tenantId: 'contoso',
      clientId: 'app',
      clientSecret: 's3cret',
      now: () => new Date(now),
    });
    const graph = tokens.forScope('http://graph/.default');
    const [a, b] = await Promise.all([graph.token(), graph.token()]);
    expect(a).toBe('tok-1');
    expect(b).toBe('tok-1');
    expect(await tokens.forScope('http://manage/.default').token()).toBe('tok-2');
    expect(bodies.map((body) => body.get('scope'))).toEqual([
      'http://graph/.default',
      'http://manage/.default',
    ]);
    expect(bodies[0]?.get('grant_type')).toBe('client_credentials');

    now += 54 * 60_000;
    expect(await graph.token()).toBe('tok-1');
    now += 2 * 60_000; // inside the 5-minute refresh margin
    expect(await graph.token()).toBe('tok-3');

    graph.invalidate('tok-3');
    expect(await graph.token()).toBe('tok-4');
  });

  it('reports a rejected secret with the AADSTS code and without the secret', async () => {
    const fetchImpl = (() =>
      Promise.resolve(
        new Response(
          JSON.stringify({
            error: 'invalid_client',
            error_description:
              'AADSTS7000222: The provided client secret keys for app are expired.\r\nTrace ID: x',
            error_codes: [7000222],
          }),
          { status: 401 },
        ),
      )) as unknown as typeof fetch;
    const tokens = createTokenClient({
      http: createHttpClient({ fetch: fetchImpl }),
      loginBaseUrl: 'http://127.0.0.1:1',
      tenantId: 'contoso',
      clientId: 'app',
      clientSecret: 'hunter2',
      now: () => new Date(),
    });
    const error = await tokens
      .forScope('x/.default')
      .token()
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /^login: POST \/contoso\/oauth2\/v2.0\/token failed \(HTTP 401\): AADSTS7000222/,
    );
    expect(
      JSON.stringify({ m: (error as Error).message, d: (error as { details?: unknown }).details }),
    ).not.toContain('hunter2');
  });
});
