import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_TYPES } from './sources.js';
import { startMicrosoftSim, type MicrosoftSim } from './server.js';
import { call, feedRoot, getToken, listAllContent, type Json } from './test-support/client.js';

const DAY = 86_400_000;
let clock = new Date('2026-11-20T12:00:00.000Z');
let sim: MicrosoftSim;
let token: string;

beforeAll(async () => {
  sim = await startMicrosoftSim({
    seed: 3,
    events: 3000,
    days: 9,
    now: () => clock,
    blobSize: 5,
    knobs: { contentPageSize: 4 },
  });
  token = await getToken(sim, sim.urls.management);
});
afterAll(() => sim.stop());

const window = (daysAgo: number, hours = 24): string => {
  const start = new Date(clock.getTime() - daysAgo * DAY);
  return `startTime=${start.toISOString().slice(0, 19)}&endTime=${new Date(start.getTime() + hours * 3_600_000).toISOString().slice(0, 19)}`;
};

describe('subscriptions', () => {
  it('refuses content before a subscription exists, starts one, and answers AF20024 when it is already enabled', async () => {
    const before = await call(`${feedRoot(sim)}/subscriptions/content?contentType=Audit.Exchange`, token);
    expect(before.status).toBe(400);
    expect(before.body).toEqual({
      error: { code: 'AF20022', message: 'No subscription found for the specified content type.' },
    });
    const start = await call(
      `${feedRoot(sim)}/subscriptions/start?contentType=Audit.Exchange&PublisherIdentifier=${sim.tenantId}`,
      token,
      { method: 'POST' },
    );
    expect(start.status).toBe(200);
    expect(start.body).toEqual({ contentType: 'Audit.Exchange', status: 'enabled', webhook: null });
    const again = await call(`${feedRoot(sim)}/subscriptions/start?contentType=Audit.Exchange`, token, {
      method: 'POST',
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toEqual({
      code: 'AF20024',
      message: 'The subscription is already enabled. No property change.',
    });
    for (const type of CONTENT_TYPES) {
      if (type !== 'Audit.Exchange')
        await call(`${feedRoot(sim)}/subscriptions/start?contentType=${type}`, token, { method: 'POST' });
    }
    const list = await call(`${feedRoot(sim)}/subscriptions/list`, token);
    expect(list.body.map((s: Json) => String(s.contentType)).sort()).toEqual([...CONTENT_TYPES].sort());
  });

  it('rejects an unknown content type and a Graph-audience token', async () => {
    const bad = await call(`${feedRoot(sim)}/subscriptions/content?contentType=Audit.Nope`, token);
    expect(bad.body.error.code).toBe('AF20020');
    const graphToken = await getToken(sim, sim.urls.graph);
    const wrong = await call(`${feedRoot(sim)}/subscriptions/list`, graphToken);
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ Message: 'Authorization has been denied for this request.' });
    const publicScope = await getToken(sim, 'https://manage.office.com');
    expect((await call(`${feedRoot(sim)}/subscriptions/list`, publicScope)).status).toBe(200);
  });
});

describe('resources', () => {
  it('names the DLP sensitive information types the DLP records cite', async () => {
    const names = await call(`${feedRoot(sim)}/resources/dlpSensitiveTypes`, token);
    expect(names.status).toBe(200);
    expect(names.body).toContainEqual({
      id: '50842eb7-edc8-4019-85dd-5a5c1f2bb085',
      name: 'Credit Card Number',
    });
  });
});

describe('content listing', () => {
  it('validates the time window: both or neither, at most 24 h, not older than 7 days', async () => {
    const base = `${feedRoot(sim)}/subscriptions/content?contentType=Audit.SharePoint`;
    const onlyStart = await call(`${base}&startTime=2026-11-19T00:00:00`, token);
    expect(onlyStart.body.error.code).toBe('AF20030');
    const tooLong = await call(`${base}&${window(2, 25)}`, token);
    expect(tooLong.body.error.code).toBe('AF20055');
    const tooOld = await call(`${base}&${window(8)}`, token);
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.error.code).toBe('AF20055');
    expect((await call(`${base}&${window(7)}`, token)).status).toBe(200);
  });

  it('selects blobs by creation time, start inclusive and end exclusive, across NextPageUri pages', async () => {
    const base = `${feedRoot(sim)}/subscriptions/content?contentType=Audit.AzureActiveDirectory`;
    const { entries, pages } = await listAllContent(`${base}&${window(3)}`, token);
    expect(pages).toBeGreaterThan(1);
    const created = entries.map((e) => Date.parse(e.contentCreated));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(clock.getTime() - 3 * DAY);
    const first = entries[0];
    const exact = new Date(Date.parse(first.contentCreated)).toISOString();
    const from = await call(
      `${base}&startTime=${exact.slice(0, 23)}&endTime=${new Date(Date.parse(exact) + DAY).toISOString().slice(0, 23)}`,
      token,
    );
    expect(from.body[0].contentId).toBe(first.contentId);
    const until = await listAllContent(
      `${base}&startTime=${new Date(Date.parse(exact) - DAY).toISOString().slice(0, 23)}&endTime=${exact.slice(0, 23)}`,
      token,
    );
    expect(until.entries.map((e: Json) => String(e.contentId))).not.toContain(first.contentId);
    expect(first).toMatchObject({
      contentType: 'Audit.AzureActiveDirectory',
      contentUri: expect.stringContaining(`/activity/feed/audit/${first.contentId}`),
    });
    expect(Date.parse(first.contentExpiration) - Date.parse(first.contentCreated)).toBe(7 * DAY);
  });

  it('serves blobs as arrays of records and answers AF20051 for an expired blob', async () => {
    const { entries } = await listAllContent(
      `${feedRoot(sim)}/subscriptions/content?contentType=Audit.General&${window(1)}`,
      token,
    );
    const blob = await call(entries[0].contentUri, token);
    expect(blob.status).toBe(200);
    expect(Array.isArray(blob.body)).toBe(true);
    expect(blob.body[0]).toMatchObject({
      Workload: 'MicrosoftTeams',
      RecordType: 25,
      Id: expect.any(String),
    });
    sim.faults.expireBlobs([entries[1].contentId]);
    const expired = await call(entries[1].contentUri, token);
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('AF20051');
    expect(expired.body.error.message).toContain(entries[1].contentId);
    const relisted = await call(
      `${feedRoot(sim)}/subscriptions/content?contentType=Audit.General&${window(1)}`,
      token,
    );
    const entry = relisted.body.find((e: Json) => e.contentId === entries[1].contentId);
    expect(Date.parse(entry.contentExpiration)).toBeLessThan(clock.getTime());
    sim.faults.expireNextBlobs(1);
    expect((await call(entries[2].contentUri, token)).body.error.code).toBe('AF20051');
    expect((await call(entries[3].contentUri, token)).status).toBe(200);
    sim.faults.clear();
  });

  it('repeats records of the previous blob when asked', async () => {
    const { entries } = await listAllContent(
      `${feedRoot(sim)}/subscriptions/content?contentType=Audit.Exchange&${window(1)}`,
      token,
    );
    sim.knobs.duplicateAcrossBlobs = 0.5;
    const first: string[] = (await call(entries[0].contentUri, token)).body.map((r: Json) => String(r.Id));
    const second: string[] = (await call(entries[1].contentUri, token)).body.map((r: Json) => String(r.Id));
    sim.knobs.duplicateAcrossBlobs = 0;
    expect(second.filter((id: string) => first.includes(id)).length).toBeGreaterThan(0);
  });
});

describe('quotas and late arrivals', () => {
  it('answers AF429 as HTTP 403 once the shared quota is used up, while PublisherIdentifier callers go on', async () => {
    const small = await startMicrosoftSim({
      seed: 4,
      events: 50,
      now: () => clock,
      quotas: { sharedPerMinute: 3 },
    });
    const t = await getToken(small, small.urls.management);
    const list = `${feedRoot(small)}/subscriptions/list`;
    for (let i = 0; i < 3; i += 1) expect((await call(list, t)).status).toBe(200);
    const throttled = await call(list, t);
    expect(throttled.status).toBe(403);
    expect(throttled.body.error).toEqual({
      code: 'AF429',
      message: 'Too many requests. Method=GET, PublisherId=00000000-0000-0000-0000-000000000000',
    });
    expect((await call(`${list}?PublisherIdentifier=${small.tenantId}`, t)).status).toBe(200);
    expect(small.requests.at(-1)?.query.PublisherIdentifier).toBe(small.tenantId);
    await small.stop();
  });

  it('applies the tenant quota to callers that send PublisherIdentifier', async () => {
    const small = await startMicrosoftSim({
      seed: 4,
      events: 50,
      now: () => clock,
      quotas: { tenantPerMinute: 2 },
    });
    const t = await getToken(small, small.urls.management);
    const list = `${feedRoot(small)}/subscriptions/list?PublisherIdentifier=${small.tenantId}`;
    expect((await call(list, t)).status).toBe(200);
    expect((await call(list, t)).status).toBe(200);
    const throttled = await call(list, t);
    expect(throttled.status).toBe(403);
    expect(throttled.body.error.message).toBe(`Too many requests. Method=GET, PublisherId=${small.tenantId}`);
    await small.stop();
  });

  it('lists late arrivals in a new blob created when they were added, with their past CreationTime', async () => {
    const ids = sim.addEvents(3, { lateByHours: 5, sources: ['Audit.SharePoint'] });
    const addedAt = clock;
    clock = new Date(clock.getTime() + 60_000);
    const { entries } = await listAllContent(
      `${feedRoot(sim)}/subscriptions/content?contentType=Audit.SharePoint`,
      token,
    );
    const last = entries.at(-1);
    expect(Date.parse(last.contentCreated)).toBe(addedAt.getTime());
    const records = (await call(last.contentUri, token)).body;
    expect(records.map((r: Json) => String(r.Id)).sort()).toEqual([...ids].sort());
    for (const r of records)
      expect(Date.parse(`${r.CreationTime}Z`)).toBeLessThan(addedAt.getTime() - 4 * 3_600_000);
  });
});

describe('stopped subscriptions', () => {
  it('answers AF20023 for content of a stopped subscription until it is started again', async () => {
    const url = `${feedRoot(sim)}/subscriptions/content?contentType=Audit.General`;
    expect(
      (await call(`${feedRoot(sim)}/subscriptions/stop?contentType=Audit.General`, token, { method: 'POST' }))
        .status,
    ).toBe(200);
    const stopped = await call(url, token);
    expect(stopped.status).toBe(400);
    expect(stopped.body.error.code).toBe('AF20023');
    expect(
      (
        await call(`${feedRoot(sim)}/subscriptions/start?contentType=Audit.General`, token, {
          method: 'POST',
        })
      ).status,
    ).toBe(200);
    expect((await call(url, token)).status).toBe(200);
  });
});

describe('webhooks', () => {
  let receiver: Server;
  const received: Array<{ headers: Record<string, unknown>; body: Json }> = [];
  let status = 200;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('refuses a webhook address that is not HTTPS', async () => {
    const refused = await call(`${feedRoot(sim)}/subscriptions/start?contentType=DLP.All`, token, {
      method: 'POST',
      body: JSON.stringify({ webhook: { address: 'http://hooks.example.com/o365' } }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      code: 'AF20021',
      message:
        'The webhook endpoint http://hooks.example.com/o365 could not be validated. The address must begin with HTTPS.',
    });
  });

  it('validates the webhook with Webhook-ValidationCode, then notifies new content with Webhook-AuthID', async () => {
    const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/o365`;
    status = 500;
    const refused = await call(`${feedRoot(sim)}/subscriptions/start?contentType=DLP.All`, token, {
      method: 'POST',
      body: JSON.stringify({ webhook: { address, authId: 'aoc-hook' } }),
    });
    expect(refused.body.error.code).toBe('AF20021');
    status = 200;
    const start = await call(`${feedRoot(sim)}/subscriptions/start?contentType=DLP.All`, token, {
      method: 'POST',
      body: JSON.stringify({ webhook: { address, authId: 'aoc-hook' } }),
    });
    expect(start.body).toEqual({
      contentType: 'DLP.All',
      status: 'enabled',
      webhook: { status: 'enabled', address, authId: 'aoc-hook', expiration: null },
    });
    const validation = received.at(-1)!;
    expect(validation.headers['webhook-validationcode']).toBe(validation.body.validationCode);
    expect(validation.headers['webhook-authid']).toBe('aoc-hook');
    sim.addEvents(2, { sources: ['DLP.All'] });
    await sim.flushNotifications();
    const notification = received.at(-1)!;
    expect(notification.headers['webhook-authid']).toBe('aoc-hook');
    expect(notification.body[0]).toMatchObject({
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      contentType: 'DLP.All',
      contentUri: expect.any(String),
    });
    const history = await call(`${feedRoot(sim)}/subscriptions/notifications?contentType=DLP.All`, token);
    expect(history.body.at(-1)).toMatchObject({
      contentId: notification.body[0].contentId,
      notificationStatus: 'success',
    });
  });
});
