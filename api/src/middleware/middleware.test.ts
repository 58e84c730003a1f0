import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, NotFoundError, silentLogger } from '@aoc/core';
import type { AppEnv } from '../app-env.js';
import { json } from '../test-support/json.js';
import { pino } from 'pino';
import { accessLog } from './access-log.js';
import { limitBody } from './body-limits.js';
import { clientAddress, createAddressMatcher } from './client-address.js';
import { corsPolicy } from './cors.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { createMetrics } from './metrics.js';
import { createRateLimiter, rateLimit } from './rate-limit.js';
import { securityHeaders } from './security-headers.js';

function appWith(setup: (app: Hono<AppEnv>) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.onError(errorHandler(silentLogger()));
  app.notFound(notFoundHandler);
  setup(app);
  return app;
}

describe('error mapping', () => {
  const app = appWith((a) => {
    a.get('/missing', () => {
      throw new NotFoundError('Event 42 not found');
    });
    a.get('/zod', (c) => c.json(z.object({ page_size: z.coerce.number().max(500) }).parse(c.req.query())));
    a.get('/boom', () => {
      throw new Error('secret connection string mongodb://root:pw@db');
    });
    a.get('/config', () => {
      throw new AppError('CONFIG', 'MONGO_URI mongodb://root:pw@db is bad');
    });
    a.post('/json', async (c) => c.json(await c.req.json()));
  });

  it('keeps an AppError code and status', async () => {
    const res = await app.request('/missing');
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: { code: 'NOT_FOUND', message: 'Event 42 not found' } });
  });

  it('turns a zod error into 400 naming the field', async () => {
    const res = await app.request('/zod?page_size=100000');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toContain('page_size');
    expect(body.error.details[0].field).toBe('page_size');
  });

  it('never leaks internals of unknown or internal errors', async () => {
    for (const path of ['/boom', '/config']) {
      const res = await app.request(path, { headers: { 'x-request-id': 'abc123' } });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('mongodb://');
      expect(JSON.parse(text)).toEqual({
        error: { code: 'INTERNAL', message: 'Internal server error', details: { request_id: 'abc123' } },
      });
    }
  });

  it('answers malformed JSON with 400 and unknown paths with a JSON 404', async () => {
    const bad = await app.request('/json', {
      method: 'POST',
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('VALIDATION');
    const none = await app.request('/nowhere');
    expect(none.status).toBe(404);
    expect((await json(none)).error.code).toBe('NOT_FOUND');
  });
});

describe('request hardening', () => {
  it('rejects oversized bodies with 413 even without a Content-Length', async () => {
    const app = appWith((a) =>
      a.post('/in', limitBody(1024), async (c) => c.json({ size: (await c.req.text()).length })),
    );
    const small = await app.request('/in', { method: 'POST', body: 'x'.repeat(100) });
    expect(small.status).toBe(200);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'.repeat(4096)));
        controller.close();
      },
    });
    const big = await app.request('/in', { method: 'POST', body: stream, duplex: 'half' });
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers with a CSP that allows the login origin and denies framing', async () => {
    const app = appWith((a) => {
      a.use(securityHeaders('https://login.microsoftonline.us'));
      a.get('/', (c) => c.text('ok'));
    });
    const res = await app.request('/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' https://login.microsoftonline.us");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('allows only configured CORS origins and never a wildcard', async () => {
    const app = appWith((a) => {
      a.use(corsPolicy(['https://console.example.com', '*']));
      a.get('/api/x', (c) => c.text('ok'));
    });
    const good = await app.request('/api/x', { headers: { origin: 'https://console.example.com' } });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    const evil = await app.request('/api/x', { headers: { origin: 'https://evil.example.com' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/api/x', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rate-limits per key with 429 and Retry-After, and resets after the window', async () => {
    let now = 0;
    const app = appWith((a) =>
      a.get(
        '/x',
        rateLimit(
          createRateLimiter({ limit: 2, windowMs: 60_000, now: () => now }),
          (c) => c.req.header('x-key') ?? '',
        ),
        (c) => c.text('ok'),
      ),
    );
    const hit = (key: string) => app.request('/x', { headers: { 'x-key': key } });
    expect((await hit('a')).status).toBe(200);
    expect((await hit('a')).status).toBe(200);
    const limited = await hit('a');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await json(limited)).error.code).toBe('RATE_LIMITED');
    expect((await hit('b')).status).toBe(200);
    now = 60_000;
    expect((await hit('a')).status).toBe(200);
  });
});

describe('client addresses', () => {
  const matcher = createAddressMatcher(['127.0.0.0/8', '::1/128', '10.0.0.0/8']);

  it('normalizes IPv4-mapped IPv6 before matching', () => {
    expect(matcher('::ffff:127.0.0.1')).toBe(true);
    expect(matcher('::ffff:10.1.2.3')).toBe(true);
    expect(matcher('::ffff:8.8.8.8')).toBe(false);
    expect(matcher('::1')).toBe(true);
    expect(matcher('2001:db8::1')).toBe(false);
    expect(matcher(undefined)).toBe(false);
    expect(matcher('not-an-ip')).toBe(false);
  });

  it('rejects a bad allowlist entry at startup', () => {
    expect(() => createAddressMatcher(['10.0.0.0/99'])).toThrow(/10\.0\.0\.0\/99/);
  });

  it('uses X-Forwarded-For only when the proxy is trusted', async () => {
    const seen: (string | undefined)[] = [];
    const app = new Hono();
    for (const trust of [false, true]) {
      app.get(`/${trust}`, (c) => {
        seen.push(clientAddress(c, () => '::ffff:8.8.8.8', trust));
        return c.text('ok');
      });
    }
    const headers = { 'x-forwarded-for': '127.0.0.1, 10.0.0.7' };
    await app.request('/false', { headers });
    await app.request('/true', { headers });
    expect(seen).toEqual(['8.8.8.8', '10.0.0.7']);
  });
});

describe('access log', () => {
  it('logs changes at info with the request id and caller, reads only at debug', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    const app = appWith((a) => {
      a.use(accessLog(log));
      a.use(async (c, next) => {
        c.set('identity', {
          tenantId: 't1',
          objectId: 'o1',
          name: 'Ada',
          roles: [],
          groups: [],
          kind: 'user',
        });
        await next();
      });
      a.get('/api/events', (c) => c.json({ items: [] }));
      a.patch('/api/events/:id/tags', (c) => c.json({ ok: true }));
    });
    await app.request('/api/events');
    await app.request('/api/events/abc/tags', { method: 'PATCH', headers: { 'x-request-id': 'req-42' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      requestId: 'req-42',
      method: 'PATCH',
      route: '/api/events/:id/tags',
      status: 200,
      caller: { tid: 't1', oid: 'o1' },
    });
  });
});

describe('metrics', () => {
  it('counts requests by route pattern and status and reports the DB', async () => {
    const metrics = createMetrics({ dbUp: () => Promise.resolve(true) });
    const app = appWith((a) => {
      a.use(metrics.middleware);
      a.get('/api/events/:id', (c) => c.json({ id: c.req.param('id') }));
    });
    await app.request('/api/events/abc');
    await app.request('/api/events/def');
    metrics.recordFetch({ source: 'directory', outcome: 'failed', events: 0 });
    metrics.recordFetch({ source: 'unified', outcome: 'ok', events: 12 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('aoc_http_requests_total{method="GET",route="/api/events/:id",status="200"} 2');
    expect(text).toContain('aoc_fetch_errors_total{source="directory"} 1');
    expect(text).toContain('aoc_db_up 1');
    expect(text).toContain('aoc_fetch_events_total{source="unified"} 12');
  });
});
