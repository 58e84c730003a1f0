import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim, type MicrosoftSim } from './server.js';
import { call, getToken, walkGraph, type Json } from './test-support/client.js';

let sim: MicrosoftSim;
let token: string;

beforeAll(async () => {
  sim = await startMicrosoftSim({ seed: 11, events: 600 });
  token = await getToken(sim, sim.urls.graph);
});
afterAll(() => sim.stop());

const getByIds = (body: unknown) =>
  call(`${sim.urls.graph}/v1.0/directoryObjects/getByIds`, token, {
    method: 'POST',
    body: JSON.stringify(body),
  });

describe('getByIds', () => {
  it('resolves every user, group, app and device id the directory audits reference', async () => {
    const { records } = await walkGraph(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits`, token);
    const ids = new Set<string>();
    for (const r of records) {
      if (r.initiatedBy.user?.id) ids.add(r.initiatedBy.user.id);
      if (r.initiatedBy.app?.servicePrincipalId) ids.add(r.initiatedBy.app.servicePrincipalId);
      for (const t of r.targetResources)
        if (['User', 'Group', 'Device', 'ServicePrincipal', 'Role'].includes(t.type)) ids.add(t.id);
    }
    expect(ids.size).toBeGreaterThan(20);
    const list = [...ids];
    const resolved = await getByIds({ ids: list });
    expect(resolved.status).toBe(200);
    expect(resolved.body['@odata.context']).toMatch(/\$metadata#directoryObjects$/);
    expect(resolved.body.value.map((o: Json) => String(o.id)).sort()).toEqual([...list].sort());
    for (const o of resolved.body.value) {
      expect(o['@odata.type']).toMatch(
        /^#microsoft\.graph\.(user|group|device|servicePrincipal|directoryRole)$/,
      );
      expect(o.displayName).toEqual(expect.any(String));
    }
  });

  it('filters by types, leaves unknown ids out, and refuses more than 1,000 ids', async () => {
    const user = sim.world.tenant.users[0]!;
    const group = sim.world.tenant.groups[0]!;
    const typed = await getByIds({
      ids: [user.id, group.id, '00000000-0000-0000-0000-00000000dead'],
      types: ['user'],
    });
    expect(typed.body.value).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.user',
        id: user.id,
        displayName: user.displayName,
      }),
    ]);
    const tooMany = await getByIds({
      ids: Array.from(
        { length: 1001 },
        (_, i) => `00000000-0000-0000-0000-${i.toString().padStart(12, '0')}`,
      ),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('Request_BadRequest');
  });

  it('serves single objects and 404s unknown ones', async () => {
    const user = sim.world.tenant.users[1]!;
    const byId = await call(`${sim.urls.graph}/v1.0/users/${user.id}`, token);
    expect(byId.body).toMatchObject({
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
    });
    const byUpn = await call(`${sim.urls.graph}/v1.0/users/${user.userPrincipalName}`, token);
    expect(byUpn.body.id).toBe(user.id);
    const missing = await call(`${sim.urls.graph}/v1.0/groups/${user.id}`, token);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });
});

describe('$batch', () => {
  it('answers each item separately: a throttled item gets 429 with Retry-After and its dependant gets 424', async () => {
    const [a, b] = sim.world.tenant.users;
    sim.faults.add({ path: `/v1.0/users/${b!.id}`, status: 429, retryAfter: 7, times: 1 });
    const batch = await call(`${sim.urls.graph}/v1.0/$batch`, token, {
      method: 'POST',
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/users/${a!.id}` },
          { id: '2', method: 'GET', url: `/users/${b!.id}` },
          { id: '3', method: 'GET', url: `/users/${a!.id}`, dependsOn: ['2'] },
          {
            id: '4',
            method: 'POST',
            url: '/directoryObjects/getByIds',
            body: { ids: [a!.id] },
            headers: { 'Content-Type': 'application/json' },
          },
        ],
      }),
    });
    expect(batch.status).toBe(200);
    const byId: Record<string, Json> = Object.fromEntries(
      batch.body.responses.map((r: Json): [string, Json] => [String(r.id), r]),
    );
    expect(byId['1']).toMatchObject({ status: 200, body: { id: a!.id } });
    expect(byId['2']).toMatchObject({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'TooManyRequests' } },
    });
    expect(byId['3']).toMatchObject({ status: 424, body: { error: { code: 'FailedDependency' } } });
    expect(byId['4'].body.value[0].id).toBe(a!.id);
    expect(sim.requests.filter((r) => r.batchItem !== undefined).map((r) => r.batchItem)).toEqual([
      '1',
      '2',
      '4',
    ]);
  });

  it('refuses more than 20 requests', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/users/${sim.world.tenant.users[0]!.id}`,
    }));
    const batch = await call(`${sim.urls.graph}/v1.0/$batch`, token, {
      method: 'POST',
      body: JSON.stringify({ requests }),
    });
    expect(batch.status).toBe(400);
    expect(batch.body.error.code).toBe('BadRequest');
  });
});
