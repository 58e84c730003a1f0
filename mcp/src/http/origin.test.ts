import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.js';
import type { OriginPolicy } from './origin.js';

const request = (url: string, headers: Record<string, string>) => new Request(url, { headers });
const allowed = (req: Request, policy: OriginPolicy, serverOrigin = new URL(req.url).origin) =>
  originAllowed(req, policy, serverOrigin);
const strict = { allowedOrigins: ['https://inspector.example/'], allowSameOrigin: false };

describe('originAllowed', () => {
  it('lets non-browser clients (no Origin) through', () => {
    expect(allowed(request('http://10.0.0.5:8000/mcp', {}), strict)).toBe(true);
  });

  it('refuses a DNS-rebound page: same-origin to the browser, but not a loopback name', () => {
    const rebound = request('http://evil.example:8000/mcp', {
      origin: 'http://evil.example:8000',
      host: 'evil.example:8000',
    });
    expect(allowed(rebound, strict)).toBe(false);
  });

  it('accepts loopback pages on a loopback server, configured origins, and same origin only when allowed', () => {
    expect(allowed(request('http://127.0.0.1:8000/mcp', { origin: 'http://localhost:6274' }), strict)).toBe(
      true,
    );
    expect(
      allowed(request('http://[::1]:8000/mcp', { origin: 'http://[::1]:3000', host: '[::1]:8000' }), strict),
    ).toBe(true);
    expect(allowed(request('http://aoc:8000/mcp', { origin: 'https://inspector.example' }), strict)).toBe(
      true,
    );
    const same = request('https://aoc.contoso.com/mcp', {
      origin: 'https://aoc.contoso.com',
      host: 'aoc.contoso.com',
    });
    expect(allowed(same, strict)).toBe(false);
    expect(allowed(same, { allowedOrigins: [], allowSameOrigin: true })).toBe(true);
    // Behind a proxy the public origin is what the page must match, not the internal Host.
    const proxied = request('http://aoc-internal:8000/mcp', {
      origin: 'https://aoc.contoso.com',
      host: 'aoc-internal:8000',
    });
    expect(allowed(proxied, { allowedOrigins: [], allowSameOrigin: true }, 'https://aoc.contoso.com')).toBe(
      true,
    );
    expect(allowed(proxied, { allowedOrigins: [], allowSameOrigin: true })).toBe(false);
    expect(allowed(request('http://127.0.0.1:8000/mcp', { origin: 'null' }), strict)).toBe(false);
  });
});
