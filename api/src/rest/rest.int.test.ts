import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { json as body } from '../test-support/json.js';

const database = useTestDatabase('api_rest');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(database, { events: 300 });
});

afterAll(async () => {
  await h.close();
});

describe('REST over real HTTP', () => {
  it('fetches from the sim tenant, then lists, filters and pages events', async () => {
    const fetched = await h.request('/api/fetch-audit-logs?hours=168', { method: 'POST' });
    expect(fetched.status).toBe(200);
    const result = await body(fetched);
    expect(result.count).toBeGreaterThan(0);

    const first = await body(await h.request('/api/events?page_size=10'));
    expect(first.items).toHaveLength(10);
    expect(typeof first.items[0]._id).toBe('string');
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await body(
      await h.request(`/api/events?page_size=10&cursor=${encodeURIComponent(first.next_cursor)}`),
    );
    expect(second.items[0]._id).not.toBe(first.items[0]._id);
    const timestamps = [...first.items, ...second.items].map((e: { timestamp: string }) => e.timestamp);
    expect([...timestamps].sort().reverse()).toEqual(timestamps);

    const service = first.items[0].service as string;
    const filtered = await body(
      await h.request(`/api/events?service=${encodeURIComponent(service)}&page_size=50`),
    );
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((e: { service: string }) => e.service === service)).toBe(true);
  });

  it('clamps page_size=100000 to the maximum instead of failing', async () => {
    const res = await h.request('/api/events?page_size=100000');
    expect(res.status).toBe(200);
    expect((await body(res)).items.length).toBeLessThanOrEqual(500);
  });

  it.each([
    ['a tampered cursor', '/api/events?cursor=eyJ0IjoxfQ.tampered', 'cursor'],
    ['a malformed cursor', '/api/events?cursor=%%%not-base64', 'cursor'],
    ['a bad start date', '/api/events?start=yesterday', 'start'],
    ['a bad end date', '/api/events?end=2024-13-45', 'end'],
    ['start after end', '/api/events?start=2024-05-02&end=2024-05-01', 'start'],
    ['a non-numeric page_size', '/api/events?page_size=lots', 'page_size'],
    ['an operator key', '/api/events?service[$ne]=x', 'service[$ne]'],
    ['a $where key', '/api/events?$where=1', '$where'],
    ['an unknown source', '/api/events?source=mainframe', 'source'],
    ['a bad export format', '/api/events/export?format=xlsx', 'format'],
    ['a non-numeric hours', '/api/fetch-audit-logs?hours=many', 'hours'],
    ['an unknown fetch source', '/api/fetch-audit-logs?source=mainframe', 'sources'],
  ])('answers 400 naming the field for %s', async (_name, path, field) => {
    const res = await h.request(path);
    expect(res.status).toBe(400);
    const { error } = await body(res);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(field);
  });

  it.each(['entity=%00', 'actor=a%00', 'search=%22a%00b%22'])(
    'searches text holding a NUL byte as a literal (%s), finding nothing rather than failing',
    async (query) => {
      const res = await h.request(`/api/events?${query}`);
      expect(res.status).toBe(200);
      expect((await body(res)).items).toEqual([]);
    },
  );

  it('rejects operator objects and wrong types in JSON bodies', async () => {
    const { items } = await body(await h.request('/api/events?page_size=1'));
    const id = items[0]._id as string;
    const cases: [unknown, string][] = [
      [{ tags: [{ $gt: '' }] }, 'tags'],
      [{ tags: 'not-a-list' }, 'tags'],
      [{ tags: ['ok'], $set: { raw: 1 } }, '$set'],
    ];
    for (const [payload, field] of cases) {
      const res = await h.request(`/api/events/${id}/tags`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect((await body(res)).error.message).toContain(field);
    }
    const comment = await h.request(`/api/events/${id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: { $ne: null } }),
    });
    expect(comment.status).toBe(400);
    const malformed = await h.request(`/api/events/${id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": ',
    });
    expect(malformed.status).toBe(400);
  });

  it('refuses an oversized body with 413', async () => {
    const { items } = await body(await h.request('/api/events?page_size=1'));
    const res = await h.request(`/api/events/${items[0]._id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect((await body(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gets one event, tags it, comments on it, and 404s an unknown id', async () => {
    const { items } = await body(await h.request('/api/events?page_size=1'));
    const id = items[0]._id as string;
    const one = await body(await h.request(`/api/events/${id}`));
    expect(one._id).toBe(id);
    const tagged = await h.request(`/api/events/${id}/tags`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['investigating', ' investigating ', 'false_positive'] }),
    });
    expect(tagged.status).toBe(200);
    expect((await body(tagged)).tags).toEqual(['investigating', 'false_positive']);
    const commented = await h.request(`/api/events/${id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'checked with the owner' }),
    });
    expect(commented.status).toBe(201);
    expect((await body(commented)).comments.at(-1)).toMatchObject({
      author: 'anonymous',
      text: 'checked with the owner',
    });
    const missing = await h.request('/api/events/000000000000000000000000');
    expect(missing.status).toBe(404);
    expect((await body(missing)).error.code).toBe('NOT_FOUND');
  });

  it('streams exports as CSV and NDJSON with download headers', async () => {
    const csv = await h.request('/api/events/export?format=csv&limit=20');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toContain('timestamp');
    expect(lines.length).toBe(21);
    const ndjson = await h.request('/api/events/export?format=ndjson&limit=5');
    const rows = (await ndjson.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { _id: string });
    expect(rows).toHaveLength(5);
    expect(rows[0]!._id).toEqual(expect.any(String));
  });

  it('reports filter options, source health, version, features and auth config', async () => {
    const options = await body(await h.request('/api/filter-options'));
    expect(JSON.stringify(options)).toContain('"');
    const health = await body(await h.request('/api/source-health'));
    expect(Array.isArray(health)).toBe(true);
    expect(await body(await h.request('/api/version'))).toEqual({ version: expect.any(String) });
    expect(await body(await h.request('/api/config/features'))).toMatchObject({
      ai_features_enabled: true,
      demo_tenant: false,
      version: expect.any(String),
    });
    expect(await body(await h.request('/api/config/auth'))).toEqual({ enabled: false, auth_enabled: false });
  });

  it('answers /health with the DB state and /metrics to loopback with Prometheus text', async () => {
    const health = await h.request('/health');
    expect(health.status).toBe(200);
    expect(await body(health)).toMatchObject({ status: 'ok', db: 'up' });
    const metrics = await h.request('/metrics');
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('aoc_http_requests_total{method="GET",route="/api/events",status="200"}');
    expect(text).toContain('aoc_fetch_runs_total');
    expect(text).toContain('aoc_db_up 1');
  });

  it('manages alert rules and lists the alerts they raise', async () => {
    const send = (method: string, path: string, payload?: unknown) =>
      h.request(path, {
        method,
        ...(payload === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
      });
    const created = await send('POST', '/api/rules', {
      name: 'Exchange admin changes',
      severity: 'high',
      conditions: { service: 'Exchange', operation: 'Set-*' },
    });
    expect(created.status).toBe(201);
    const rule = await body(created);
    expect(rule).toMatchObject({
      name: 'Exchange admin changes',
      severity: 'high',
      enabled: true,
      _id: expect.any(String),
    });
    expect((await body(await send('GET', '/api/rules'))).map((r: { _id: string }) => r._id)).toContain(
      rule._id,
    );
    const replaced = await send('PUT', `/api/rules/${rule._id}`, {
      name: 'Exchange admin changes',
      enabled: false,
      conditions: { service: 'Exchange' },
    });
    expect(replaced.status).toBe(200);
    expect((await body(replaced)).enabled).toBe(false);

    for (const [payload, field] of [
      [{ name: 'no conditions', conditions: {} }, 'conditions'],
      [{ name: 'operator', conditions: { service: { $ne: '' } } }, 'conditions.service'],
      [{ name: 'extra', conditions: { service: 'x' }, $where: '1' }, '$where'],
      [{ name: 'bad severity', severity: 'urgent', conditions: { service: 'x' } }, 'severity'],
    ] as const) {
      const res = await send('POST', '/api/rules', payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect((await body(res)).error.message).toContain(field);
    }
    expect(
      (await send('PUT', '/api/rules/not-an-id', { name: 'x', conditions: { service: 'x' } })).status,
    ).toBe(400);
    expect((await send('DELETE', '/api/rules/000000000000000000000000')).status).toBe(404);
    const deleted = await send('DELETE', `/api/rules/${rule._id}`);
    expect(await body(deleted)).toEqual({ deleted: true, id: rule._id });

    const alerts = await send('GET', '/api/alerts?page_size=5&status=open');
    expect(alerts.status).toBe(200);
    expect(await body(alerts)).toMatchObject({ items: expect.any(Array) });
    const badAlerts = await send('GET', '/api/alerts?severity=urgent');
    expect(badAlerts.status).toBe(400);
    expect((await body(badAlerts)).error.message).toContain('severity');
  });

  it('echoes the Graph webhook validation token as text', async () => {
    const res = await h.request('/api/webhooks/graph?validationToken=hello%20graph', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello graph');
  });

  it('sends security headers and a request id, and JSON 404s for unknown API paths', async () => {
    const res = await h.request('/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
