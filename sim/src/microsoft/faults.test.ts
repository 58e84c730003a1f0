import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim, type MicrosoftSim } from './server.js';
import { CONTENT_TYPES } from './sources.js';
import { call, feedRoot, getToken, listAllContent, requestToken } from './test-support/client.js';

let sim: MicrosoftSim;
let graphToken: string;
let managementToken: string;
const audits = (): string => `${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$top=20`;

beforeAll(async () => {
  sim = await startMicrosoftSim({ seed: 5, events: 800, subscribed: CONTENT_TYPES });
  graphToken = await getToken(sim, sim.urls.graph);
  managementToken = await getToken(sim, sim.urls.management);
});
afterEach(() => sim.faults.clear());
afterAll(() => sim.stop());

describe('status faults', () => {
  it('throttles Graph with 429, Retry-After and a TooManyRequests body, then recovers', async () => {
    sim.faults.throttle('/directoryAudits', 3, 2);
    for (let i = 0; i < 2; i += 1) {
      const throttled = await call(audits(), graphToken);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('3');
      expect(throttled.body.error.code).toBe('TooManyRequests');
    }
    expect((await call(audits(), graphToken)).status).toBe(200);
  });

  it.each([503, 504])("answers %i in each service's dialect", async (status) => {
    sim.faults.add({ status, times: 3 });
    const graph = await call(audits(), graphToken);
    expect(graph.status).toBe(status);
    expect(graph.body.error.code).toBe(status === 503 ? 'ServiceNotAvailable' : 'GatewayTimeout');
    const management = await call(`${feedRoot(sim)}/subscriptions/list`, managementToken);
    expect(management.status).toBe(status);
    expect(management.body.error.code).toBe('AF50000');
    const login = await fetch(`${sim.urls.login}/${sim.tenantId}/oauth2/v2.0/token`, { method: 'POST' });
    expect(login.status).toBe(status);
    expect(await login.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
  });

  it('fails a page once, then serves the same nextLink successfully', async () => {
    const first = await call(audits(), graphToken);
    const link: string = first.body['@odata.nextLink'];
    sim.faults.failOnce('$skiptoken=');
    expect((await call(link, graphToken)).status).toBe(503);
    const retried = await call(link, graphToken);
    expect(retried.status).toBe(200);
    expect(retried.body.value).toHaveLength(20);
  });

  it('lets `skip` requests through before failing and only matches the given method', async () => {
    sim.faults.add({ path: '/subscriptions/content', method: 'GET', status: 500, skip: 1, times: 1 });
    const url = `${feedRoot(sim)}/subscriptions/content?contentType=Audit.Exchange`;
    expect((await call(url, managementToken)).status).toBe(200);
    expect((await call(url, managementToken)).status).toBe(500);
    expect((await call(url, managementToken)).status).toBe(200);
  });
});

describe('transport faults', () => {
  it('resets the connection without an answer', async () => {
    sim.faults.reset('/directoryAudits');
    await expect(fetch(audits(), { headers: { authorization: `Bearer ${graphToken}` } })).rejects.toThrow();
    expect(sim.requests.at(-1)?.status).toBe(0);
    expect((await call(audits(), graphToken)).status).toBe(200);
  });

  it('delays responses', async () => {
    sim.faults.slow('/subscriptions/list', 300, 1);
    const started = Date.now();
    expect((await call(`${feedRoot(sim)}/subscriptions/list`, managementToken)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('request log', () => {
  it('keeps only the newest requestLogLimit entries', async () => {
    const small = await startMicrosoftSim({ events: 10, requestLogLimit: 10 });
    for (let i = 0; i < 30; i += 1) await fetch(`${small.urls.graph}/v1.0/users/${i}`);
    expect(small.requests.length).toBeLessThanOrEqual(11);
    expect(small.requests.at(-1)?.path).toBe('/v1.0/users/29');
    await small.stop();
  });
});

describe('latency', () => {
  it('adds latencyMs to every response', async () => {
    const slow = await startMicrosoftSim({ events: 10, latencyMs: 150 });
    const started = Date.now();
    await getToken(slow, slow.urls.graph);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await slow.stop();
  });
});

describe('token faults', () => {
  it('issues short-lived tokens that stop working when they expire', async () => {
    sim.faults.tokenLifetime(1);
    const body = await requestToken(sim, sim.urls.management);
    expect(body.expires_in).toBe(1);
    const url = `${feedRoot(sim)}/subscriptions/list`;
    expect((await call(url, body.access_token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await call(url, body.access_token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ Message: 'Authorization has been denied for this request.' });
  });

  it('expires every issued token mid-run', async () => {
    const url = `${feedRoot(sim)}/subscriptions/content?contentType=Audit.SharePoint`;
    const { entries } = await listAllContent(url, managementToken);
    sim.faults.expireTokens();
    expect((await call(entries[0].contentUri, managementToken)).status).toBe(401);
    managementToken = await getToken(sim, sim.urls.management);
    graphToken = await getToken(sim, sim.urls.graph);
    expect((await call(entries[0].contentUri, managementToken)).status).toBe(200);
  });
});
