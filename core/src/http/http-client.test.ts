import { describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.js';
import { createRetryBudget } from './retry-budget.js';
import type { BearerAuth } from './http-client.js';

type Step = Response | Error;

function scripted(steps: Step[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetchImpl = ((url: string, init: RequestInit) => {
    calls.push({ url, headers: { ...(init.headers as Record<string, string>) } });
    const step = steps.shift();
    if (step === undefined) throw new Error('no more scripted responses');
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  }) as unknown as typeof fetch;
  return { fetchImpl, calls };
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: (ms: number) => (delays.push(ms), Promise.resolve()) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const reset = () =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  });

describe('createHttpClient', () => {
  it('waits exactly what Retry-After asks on 429, then succeeds', async () => {
    const { fetchImpl, calls } = scripted([
      json(429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '7' }),
      json(200, { ok: 1 }),
    ]);
    const { delays, sleep } = recordingSleep();
    const http = createHttpClient({ fetch: fetchImpl, sleep });
    const { body } = await http.json<{ ok: number }>({
      source: 'directory',
      url: 'http://127.0.0.1/v1.0/x?y=1',
    });
    expect(body.ok).toBe(1);
    expect(calls).toHaveLength(2);
    expect(delays).toEqual([7000]);
  });

  it('backs off exponentially with jitter on 503s and network resets', async () => {
    const { fetchImpl } = scripted([json(503, {}), reset(), json(502, {}), json(200, [])]);
    const { delays, sleep } = recordingSleep();
    const http = createHttpClient({ fetch: fetchImpl, sleep, random: () => 1, retry: { baseDelayMs: 100 } });
    await http.json({ source: 'intune', url: 'http://127.0.0.1/a' });
    expect(delays).toEqual([100, 200, 400]);
  });

  it('treats the Management API 403 AF429 as throttling, but other 403s as final', async () => {
    const { fetchImpl } = scripted([
      json(403, { error: { code: 'AF429', message: 'Too many requests.' } }),
      json(200, {}),
    ]);
    const http = createHttpClient({ fetch: fetchImpl, sleep: recordingSleep().sleep });
    await expect(http.json({ source: 'unified', url: 'http://127.0.0.1/a' })).resolves.toBeDefined();

    const denied = scripted([json(403, { error: { code: 'AF10001', message: 'denied' } })]);
    const strict = createHttpClient({ fetch: denied.fetchImpl, sleep: recordingSleep().sleep });
    await expect(strict.json({ source: 'unified', url: 'http://127.0.0.1/a' })).rejects.toThrow(/AF10001/);
  });

  it('names source, method, path and status in the final error, never the query or the token', async () => {
    const { fetchImpl } = scripted([
      json(500, {}),
      json(500, { error: { code: 'AF50000', message: 'Retry the request.' } }),
    ]);
    const auth: BearerAuth = { token: () => Promise.resolve('SECRET-TOKEN'), invalidate: () => undefined };
    const http = createHttpClient({
      fetch: fetchImpl,
      sleep: recordingSleep().sleep,
      retry: { maxAttempts: 2 },
    });
    const error = await http
      .json({
        source: 'unified',
        url: 'http://127.0.0.1/api/v1.0/t/activity/feed/subscriptions/content?sig=abc',
        auth,
      })
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('unified: GET /api/v1.0/t/activity/feed/subscriptions/content');
    expect(message).toContain('HTTP 500 after 2 attempts');
    expect(message).toContain('AF50000');
    expect(message).not.toContain('sig=abc');
    expect(JSON.stringify(error)).not.toContain('SECRET-TOKEN');
    expect((error as Error & { code: string }).code).toBe('UPSTREAM');
  });

  it('refreshes the token once on 401, and gives up on a second 401', async () => {
    let n = 0;
    const invalidated: string[] = [];
    const auth: BearerAuth = {
      token: () => Promise.resolve(`t${++n}`),
      invalidate: (token) => void invalidated.push(token),
    };
    const { fetchImpl, calls } = scripted([json(401, {}), json(200, {})]);
    const http = createHttpClient({ fetch: fetchImpl, sleep: recordingSleep().sleep });
    await http.json({ source: 'directory', url: 'http://127.0.0.1/a', auth });
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(invalidated).toEqual(['t1']);

    const twice = scripted([json(401, {}), json(401, { error: { code: 'InvalidAuthenticationToken' } })]);
    const again = createHttpClient({ fetch: twice.fetchImpl, sleep: recordingSleep().sleep });
    await expect(again.json({ source: 'directory', url: 'http://127.0.0.1/a', auth })).rejects.toThrow(
      /HTTP 401/,
    );
    expect(twice.calls).toHaveLength(2);
  });

  it('stops retrying when the shared budget is spent', async () => {
    const { fetchImpl, calls } = scripted([json(503, {}), json(503, {}), json(503, {}), json(503, {})]);
    const http = createHttpClient({
      fetch: fetchImpl,
      sleep: recordingSleep().sleep,
      budget: createRetryBudget(2),
    });
    await expect(http.json({ source: 'intune', url: 'http://127.0.0.1/a' })).rejects.toThrow(/budget/);
    expect(calls).toHaveLength(3);
  });

  it('refuses a Retry-After beyond its ceiling instead of retrying early', async () => {
    const { fetchImpl, calls } = scripted([json(429, {}, { 'retry-after': '3600' })]);
    const http = createHttpClient({ fetch: fetchImpl, sleep: recordingSleep().sleep });
    await expect(http.json({ source: 'directory', url: 'http://127.0.0.1/a' })).rejects.toThrow(/3600 s/);
    expect(calls).toHaveLength(1);
  });

  it('retries a body cut off mid-read, and passes the reader’s own errors through', async () => {
    const truncated = new Response('{"value":[1,2', { status: 200 });
    const { fetchImpl, calls } = scripted([truncated, json(200, { value: [1, 2] })]);
    const http = createHttpClient({ fetch: fetchImpl, sleep: recordingSleep().sleep });
    const { body } = await http.json<{ value: number[] }>({ source: 'directory', url: 'http://127.0.0.1/a' });
    expect(body.value).toEqual([1, 2]);
    expect(calls).toHaveLength(2);

    const own = scripted([json(200, {})]);
    const strict = createHttpClient({ fetch: own.fetchImpl, sleep: recordingSleep().sleep });
    await expect(
      strict.send({ source: 'directory', url: 'http://127.0.0.1/a' }, () =>
        Promise.reject(new RangeError('sink full')),
      ),
    ).rejects.toThrow('sink full');
    expect(own.calls).toHaveLength(1);
  });

  it('stops waiting as soon as the caller aborts', async () => {
    const { fetchImpl } = scripted([json(503, {}, { 'retry-after': '60' })]);
    const controller = new AbortController();
    const http = createHttpClient({ fetch: fetchImpl });
    const pending = http.json({ source: 'directory', url: 'http://127.0.0.1/a', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run cancelled')), 10);
    await expect(pending).rejects.toThrow('run cancelled');
  });
});
