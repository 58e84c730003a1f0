import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { json } from '../test-support/json.js';

const database = useTestDatabase('api_docs');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(database, {
    env: {
      DOCS_ENABLED: 'true',
      METRICS_ALLOWED_IPS: '10.0.0.0/8',
      TRUST_PROXY: 'true',
      CORS_ORIGINS: 'https://console.example.com',
    },
    app: { rateLimits: { fetchPerMinute: 1, exportPerMinute: 1000, aiPerMinute: 1000 } },
  });
});

afterAll(async () => {
  await h.close();
});

describe('settings that change the surface', () => {
  it('serves an OpenAPI 3.1 document generated from core’s schemas, and a docs page', async () => {
    const doc = await json(await h.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    const names = doc.paths['/api/events'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['service', 'actor', 'start', 'end', 'search', 'cursor', 'page_size']),
    );
    expect(
      doc.paths['/api/events/{id}/tags'].patch.requestBody.content['application/json'].schema.required,
    ).toEqual(['tags']);
    const docs = await h.request('/docs');
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(await docs.text()).toContain('/api/events/{id}/comments');
  });

  it('judges /metrics by the proxy’s X-Forwarded-For only because TRUST_PROXY is set', async () => {
    expect((await h.request('/metrics')).status).toBe(403);
    expect((await h.request('/metrics', { headers: { 'x-forwarded-for': '8.8.8.8' } })).status).toBe(403);
    const allowed = await h.request('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('aoc_http_requests_total');
  });

  it('allows the configured CORS origin only', async () => {
    const ok = await h.request('/api/version', { headers: { origin: 'https://console.example.com' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    const other = await h.request('/api/version', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rate-limits fetches with 429 and Retry-After', async () => {
    const first = await h.request('/api/fetch-audit-logs?hours=1&source=intune', { method: 'POST' });
    expect(first.status).toBe(200);
    const second = await h.request('/api/fetch-audit-logs?hours=1&source=intune', { method: 'POST' });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(second)).error.code).toBe('RATE_LIMITED');
  });
});
