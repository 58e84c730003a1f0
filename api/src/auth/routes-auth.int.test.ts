import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badTokens } from '@aoc/sim';
import type { BadToken } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { json as readJson } from '../test-support/json.js';
import { requiresAuth } from './public-paths.js';

/**
 * Every route the app registers is probed: no token and each bad token → 401 (WWW-Authenticate), a valid
 * token without a granting role or group → 403, a valid token → success. A route added without a sample
 * request here fails the test, so new routes cannot slip through unprobed.
 */

const database = useTestDatabase('api_auth');
let h: Harness;
let eventId: string;
let bad: BadToken[];
let ruleId: string;
let spareRuleId: string;
let alertId: string;

interface Probe {
  path: string;
  init?: RequestInit;
  /** The status a valid, authorized request gets. */
  ok: number;
}

function json(body: unknown): RequestInit {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A sensible request for each registered route, keyed by `METHOD path`. */
function probes(): Record<string, Probe> {
  return {
    'GET /health': { path: '/health', ok: 200 },
    'GET /metrics': { path: '/metrics', ok: 200 },
    'GET /api/version': { path: '/api/version', ok: 200 },
    'GET /api/config/auth': { path: '/api/config/auth', ok: 200 },
    'GET /api/config/features': { path: '/api/config/features', ok: 200 },
    'GET /api/events': { path: '/api/events?page_size=5', ok: 200 },
    'GET /api/events/export': { path: '/api/events/export?format=ndjson&limit=5', ok: 200 },
    'GET /api/events/:id': { path: `/api/events/${eventId}`, ok: 200 },
    'PATCH /api/events/:id/tags': {
      path: `/api/events/${eventId}/tags`,
      init: { method: 'PATCH', ...json({ tags: ['investigating'] }) },
      ok: 200,
    },
    'POST /api/events/:id/comments': {
      path: `/api/events/${eventId}/comments`,
      init: { method: 'POST', ...json({ text: 'looked at it' }) },
      ok: 201,
    },
    'GET /api/filter-options': { path: '/api/filter-options', ok: 200 },
    'POST /api/ask': {
      path: '/api/ask',
      init: { method: 'POST', ...json({ question: 'what happened in the last day?' }) },
      ok: 200,
    },
    'POST /api/events/:id/explain': {
      path: `/api/events/${eventId}/explain`,
      init: { method: 'POST' },
      ok: 200,
    },
    'GET /api/fetch-audit-logs': { path: '/api/fetch-audit-logs?hours=1&source=intune', ok: 200 },
    'POST /api/fetch-audit-logs': {
      path: '/api/fetch-audit-logs?hours=1&source=intune',
      init: { method: 'POST' },
      ok: 200,
    },
    'GET /api/source-health': { path: '/api/source-health', ok: 200 },
    'GET /api/rules': { path: '/api/rules', ok: 200 },
    'POST /api/rules': {
      path: '/api/rules',
      init: { method: 'POST', ...json({ name: 'failed sign-ins', conditions: { result: 'failure' } }) },
      ok: 201,
    },
    'PUT /api/rules/:id': {
      path: `/api/rules/${ruleId}`,
      init: {
        method: 'PUT',
        ...json({ name: 'every directory event', conditions: { source: 'directory' } }),
      },
      ok: 200,
    },
    // Only the valid-token probe reaches the handler, so the spare rule is deleted exactly once.
    'DELETE /api/rules/:id': { path: `/api/rules/${spareRuleId}`, init: { method: 'DELETE' }, ok: 200 },
    'GET /api/alerts': { path: '/api/alerts?page_size=5', ok: 200 },
    'POST /api/alerts/:id/acknowledge': {
      path: `/api/alerts/${alertId}/acknowledge`,
      init: { method: 'POST' },
      ok: 200,
    },
    'POST /api/webhooks/graph': {
      path: '/api/webhooks/graph?validationToken=abc',
      init: { method: 'POST' },
      ok: 200,
    },
    'POST /api/webhooks/management': {
      path: '/api/webhooks/management',
      init: { method: 'POST', headers: { 'webhook-authid': 'hook-secret', 'webhook-validationcode': 'abc' } },
      ok: 200,
    },
    'ALL /trpc/*': { path: '/trpc/events.filterOptions', ok: 200 },
    'ALL /mcp': {
      path: '/mcp',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'auth-test', version: '1' },
          },
        }),
      },
      ok: 200,
    },
    'ALL /mcp/*': { path: '/mcp/sse', init: { headers: { accept: 'text/event-stream' } }, ok: 200 },
    'GET /.well-known/oauth-protected-resource': { path: '/.well-known/oauth-protected-resource', ok: 200 },
    'GET /.well-known/oauth-protected-resource/*': {
      path: '/.well-known/oauth-protected-resource/mcp',
      ok: 200,
    },
  };
}

function registeredRoutes(): string[] {
  const keys = new Set<string>();
  for (const route of h.app.routes) {
    // Global middleware (`app.use(fn)`) registers as ALL /*: it is not a route of its own.
    if (route.method === 'ALL' && route.path === '/*') continue;
    keys.add(`${route.method} ${route.path}`);
  }
  return [...keys].sort();
}

beforeAll(async () => {
  h = await startHarness(database, { auth: true, mcp: true, env: { WEBHOOK_CLIENT_SECRET: 'hook-secret' } });
  // A rule that every directory event matches, created before ingestion so the fetch raises alerts.
  ruleId = (await h.core.rules.create({ name: 'every directory event', conditions: { source: 'directory' } }))
    ._id;
  spareRuleId = (await h.core.rules.create({ name: 'to delete', conditions: { service: 'Nothing' } }))._id;
  await h.core.ingest.runFetch({ hours: 48, sources: ['directory'] });
  alertId = (await h.core.alerts.list({ page_size: 1 })).items[0]!._id;
  const page = await h.core.events.search({ page_size: 1 });
  eventId = page.items[0]!._id;
  bad = await badTokens(h.oidc);
});

afterAll(async () => {
  await h.close();
});

describe('auth on every route', () => {
  it('has a probe for every registered route', () => {
    const known = new Set(Object.keys(probes()));
    expect(registeredRoutes().filter((key) => !known.has(key))).toEqual([]);
  });

  it('refuses missing and bad tokens with 401 and WWW-Authenticate on every protected route', async () => {
    for (const [key, probe] of Object.entries(probes())) {
      const pathname = new URL(probe.path, h.url).pathname;
      if (!requiresAuth(pathname)) continue;
      const none = await h.request(probe.path, probe.init);
      expect(none.status, `${key} without a token`).toBe(401);
      expect(none.headers.get('www-authenticate'), key).toMatch(/^Bearer/);
      for (const token of bad) {
        const res = await h.request(probe.path, { ...probe.init, token: token.token });
        const expected = token.kind === 'group-overage' ? 403 : 401;
        expect(res.status, `${key} with ${token.kind} (${token.reason})`).toBe(expected);
      }
    }
  });

  it('cannot be walked around with path tricks', async () => {
    for (const path of [
      '//api/events',
      '/api//events',
      '/%61pi/events',
      '/API/events',
      '/api/events/',
      '//trpc/events.filterOptions',
      '/mcp/../api/events',
    ]) {
      const res = await h.request(path);
      const text = await res.text();
      expect(text, path).not.toContain('"items"');
      expect(text, path).not.toContain('"result"');
    }
  });

  it('answers 403 to a valid token without a granting role or group', async () => {
    const token = await h.token({ claims: { roles: undefined, groups: ['not-a-granting-group'] } });
    for (const [key, probe] of Object.entries(probes())) {
      if (!requiresAuth(new URL(probe.path, h.url).pathname)) continue;
      const res = await h.request(probe.path, { ...probe.init, token });
      expect(res.status, key).toBe(403);
      expect((await readJson(res)).error.code).toBe('FORBIDDEN');
    }
  });

  it('serves every route to a valid token, and the public ones to anyone', async () => {
    const token = await h.token();
    for (const [key, probe] of Object.entries(probes())) {
      const res = await h.request(probe.path, { ...probe.init, token });
      // Streams (SSE) never end on their own: read a body only to explain a failure.
      const detail = res.status === probe.ok ? '' : await res.text();
      expect(res.status, `${key}: ${detail}`).toBe(probe.ok);
      await res.body?.cancel();
      if (!requiresAuth(new URL(probe.path, h.url).pathname)) {
        const anonymous = await h.request(probe.path, probe.init);
        expect(anonymous.status, `${key} without a token`).toBe(probe.ok);
        await anonymous.body?.cancel();
      }
    }
  });

  it('accepts a v1 token and a group-granted token, and records the signed-in author on comments', async () => {
    const v1 = await h.token({ issuerVersion: 1 });
    expect((await h.request('/api/events?page_size=1', { token: v1 })).status).toBe(200);
    const byGroup = await h.token({
      claims: { roles: undefined, groups: ['0c0c0c0c-1111-2222-3333-444444444444'] },
    });
    const res = await h.request(`/api/events/${eventId}/comments`, {
      method: 'POST',
      token: byGroup,
      ...json({ text: 'signed comment', author: 'Mallory' }),
    });
    expect(res.status).toBe(201);
    const event = await readJson(res);
    expect(event.comments.at(-1)).toMatchObject({ author: 'Ada Admin', text: 'signed comment' });
  });

  it('tells the console how to sign in, without secrets', async () => {
    const config = await readJson(await h.request('/api/config/auth'));
    expect(config).toEqual({
      enabled: true,
      auth_enabled: true,
      tenant_id: h.oidc.tenantId,
      client_id: h.oidc.clientId,
      login_base_url: h.config.microsoft.loginBaseUrl,
      authority: `${h.config.microsoft.loginBaseUrl}/${h.oidc.tenantId}`,
      scopes: [`api://${h.oidc.clientId}/.default`],
      known_authorities: [new URL(h.config.microsoft.loginBaseUrl).host],
    });
    expect(JSON.stringify(config)).not.toContain(h.config.microsoft.clientSecret!);
  });

  it('accepts the console’s subscription token in tRPC connectionParams (EventSource cannot send headers)', async () => {
    const path = (token: string) =>
      `/trpc/ingest.progress?connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`;
    const ok = await h.request(path(await h.token()), { headers: { accept: 'text/event-stream' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/text\/event-stream/);
    await ok.body?.cancel();
    for (const token of bad) {
      const res = await h.request(path(token.token), { headers: { accept: 'text/event-stream' } });
      expect(res.status, token.kind).toBe(token.kind === 'group-overage' ? 403 : 401);
      await res.body?.cancel();
    }
    // Only tRPC reads it: REST still wants the header.
    const rest = await h.request(
      `/api/events?connectionParams=${encodeURIComponent(JSON.stringify({ token: await h.token() }))}`,
    );
    expect(rest.status).toBe(401);
  });

  it('protects tRPC and keeps working on last good keys while the JWKS endpoint is down', async () => {
    const token = await h.token();
    expect((await h.request('/trpc/events.filterOptions')).status).toBe(401);
    h.oidc.setJwksDown(true);
    try {
      expect((await h.request('/trpc/events.filterOptions', { token })).status).toBe(200);
    } finally {
      h.oidc.setJwksDown(false);
    }
  });
});
