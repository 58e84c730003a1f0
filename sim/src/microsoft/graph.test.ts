import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim, type MicrosoftSim } from './server.js';
import { call, getToken, walkGraph, type Json } from './test-support/client.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');
let sim: MicrosoftSim;
let token: string;

beforeAll(async () => {
  sim = await startMicrosoftSim({ seed: 7, events: 2000, days: 7, now: () => NOW });
  token = await getToken(sim, sim.urls.graph);
});
afterAll(() => sim.stop());

describe('Graph directoryAudits', () => {
  it('pages newest first through @odata.nextLink and yields every generated audit exactly once', async () => {
    const expected = sim.expectedIds().directoryAudits;
    const { records, pages } = await walkGraph(
      `${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$top=100`,
      token,
    );
    expect(pages).toBe(Math.ceil(expected.size / 100));
    const ids = records.map((r: Json) => String(r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(expected);
    const times = records.map((r) => r.activityDateTime as string);
    expect([...times].sort().reverse()).toEqual(times);
    expect(times[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
  });

  it('returns the same page when a nextLink is fetched twice', async () => {
    const first = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$top=50`, token);
    const link = first.body['@odata.nextLink'];
    const a = await call(link, token);
    const b = await call(link, token);
    expect(a.body.value.map((r: Json) => String(r.id))).toEqual(b.body.value.map((r: Json) => String(r.id)));
    expect(a.body.value[0].id).not.toBe(first.body.value[49].id);
  });

  it('filters on activityDateTime with ge and le, both inclusive, down to the seventh fractional digit', async () => {
    const all = (await walkGraph(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits`, token)).records;
    const upper = all[10].activityDateTime;
    const lower = all[40].activityDateTime;
    const filter = encodeURIComponent(`activityDateTime ge ${lower} and activityDateTime le ${upper}`);
    const page = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$filter=${filter}`, token);
    expect(page.body.value.map((r: Json) => String(r.id))).toEqual(
      all.slice(10, 41).map((r: Json) => String(r.id)),
    );
  });

  it.each([
    ['activityDateTime gt 2026-11-19T00:00:00Z'],
    ['activityDateTime lt 2026-11-19T00:00:00Z'],
    ['createdDateTime ge 2026-11-19T00:00:00Z'],
    ["activityDateTime ge '2026-11-19T00:00:00Z'"],
  ])('rejects %s with Graph\'s "Invalid filter clause"', async (filter) => {
    const page = await call(
      `${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`,
      token,
    );
    expect(page.status).toBe(400);
    expect(page.body.error.code).toBe('BadRequest');
    expect(page.body.error.message).toBe('Invalid filter clause');
    expect(page.body.error.innerError['request-id']).toEqual(expect.any(String));
  });

  it('supports startswith and eq on string properties', async () => {
    const filter = encodeURIComponent(
      "startswith(activityDisplayName,'Add member') and loggedByService eq 'PIM'",
    );
    const page = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$filter=${filter}`, token);
    expect(page.status).toBe(200);
    expect(page.body.value.length).toBeGreaterThan(0);
    for (const r of page.body.value) {
      expect(r.activityDisplayName.startsWith('Add member')).toBe(true);
      expect(r.loggedByService).toBe('PIM');
    }
  });

  it('orders ascending on request', async () => {
    const page = await call(
      `${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$orderby=activityDateTime%20asc&$top=20`,
      token,
    );
    const times = page.body.value.map((r: Json) => String(r.activityDateTime));
    expect([...times].sort()).toEqual(times);
  });

  it('lists Intune audit events with their own shape', async () => {
    const { records } = await walkGraph(
      `${sim.urls.graph}/v1.0/deviceManagement/auditEvents?$top=200`,
      token,
    );
    expect(new Set(records.map((r: Json) => String(r.id)))).toEqual(sim.expectedIds().intuneAuditEvents);
    expect(records[0]).toMatchObject({
      actor: expect.any(Object),
      resources: expect.any(Array),
      activityType: expect.any(String),
      componentName: expect.any(String),
    });
  });
});

describe('late arrivals on Graph', () => {
  it('adds events with a past activityDateTime that a ge-watermark filter on recent time misses', async () => {
    const ids = sim.addEvents(4, { lateByHours: 6, sources: ['directoryAudits'] });
    const recent = encodeURIComponent(
      `activityDateTime ge ${new Date(NOW.getTime() - 3_600_000).toISOString()}`,
    );
    const page = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$filter=${recent}`, token);
    const recentIds = page.body.value.map((r: Json) => String(r.id));
    for (const id of ids) expect(recentIds).not.toContain(id);
    const { records } = await walkGraph(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits`, token);
    const late = records.filter((r: Json) => ids.includes(String(r.id)));
    expect(late).toHaveLength(4);
    for (const r of late)
      expect(Date.parse(String(r.activityDateTime))).toBeLessThan(NOW.getTime() - 6 * 3_600_000 + 1);
    expect(sim.expectedIds().directoryAudits.size).toBe(records.length);
  });

  it("repeats the previous page's last record at the top of the next page when asked", async () => {
    sim.knobs.duplicateAcrossPages = true;
    const first = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$top=10`, token);
    const second = await call(first.body['@odata.nextLink'], token);
    sim.knobs.duplicateAcrossPages = false;
    expect(second.body.value[0].id).toBe(first.body.value[9].id);
  });
});

describe('tokens and audiences', () => {
  it('rejects a missing, a management-audience and an expired token with 401 InvalidAuthenticationToken', async () => {
    const url = `${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$top=1`;
    const none = await call(url, undefined);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('InvalidAuthenticationToken');
    const management = await getToken(sim, sim.urls.management);
    const wrong = await call(url, management);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/Invalid audience/);
    const publicScope = await getToken(sim, 'https://graph.microsoft.com');
    expect((await call(url, publicScope)).status).toBe(200);
    const fresh = await getToken(sim, sim.urls.graph);
    sim.faults.expireTokens();
    const expired = await call(url, fresh);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    token = await getToken(sim, sim.urls.graph);
    expect((await call(url, token)).status).toBe(200);
  });

  it('answers bad credentials with Entra error JSON and AADSTS codes', async () => {
    const post = (tenant: string, form: Record<string, string>) =>
      fetch(`${sim.urls.login}/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
    const good = {
      grant_type: 'client_credentials',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      scope: `${sim.urls.graph}/.default`,
    };
    const badSecret = await post(sim.tenantId, { ...good, client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    const badSecretBody: Json = await badSecret.json();
    expect(badSecretBody).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(badSecretBody.error_description).toMatch(/^AADSTS7000215: /);
    const badTenant = await post('00000000-0000-0000-0000-000000000001', good);
    expect(badTenant.status).toBe(400);
    expect(await badTenant.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    const badClient = await post(sim.tenantId, {
      ...good,
      client_id: '11111111-1111-1111-1111-111111111111',
    });
    expect(await badClient.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const badScope = await post(sim.tenantId, {
      ...good,
      scope: 'https://graph.microsoft.com/AuditLog.Read.All',
    });
    expect(await badScope.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    const byDomain = await post(sim.tenantDomain, good);
    expect(byDomain.status).toBe(200);
    expect(await byDomain.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3599,
      access_token: expect.any(String),
    });
  });

  it('logs requests without secrets', () => {
    const tokenRequest = sim.requests.find((r) => r.service === 'login');
    expect(tokenRequest?.body).toMatchObject({
      client_secret: '[redacted]',
      grant_type: 'client_credentials',
    });
    const graphRequest = sim.requests.find((r) => r.service === 'graph' && r.headers.authorization);
    expect(graphRequest?.headers.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(sim.requests)).not.toContain(sim.clientSecret);
  });
});
