import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness, WEBHOOK_SECRET } from '../test-support/ingest-harness.js';
import type { Harness } from '../test-support/ingest-harness.js';

const database = useTestDatabase('aoc_webhooks');
let harness: Harness | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await harness?.stop();
  harness = undefined;
});

async function start(events = 600): Promise<Harness> {
  harness = await startHarness(database.db, database.name, database.uri, {
    sim: { events, blobSize: 100 },
    ingest: { managementRequestsPerMinute: 100_000 },
  });
  return harness;
}

const graphNotification = (clientState: string, resource = 'users/4f6c1c5e-2f1b-4c5d-9a3e-1b2c3d4e5f60') =>
  new Request('http://127.0.0.1/api/webhooks/graph', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      value: [{ subscriptionId: 's1', changeType: 'updated', clientState, resource, tenantId: 't' }],
    }),
  });

/** A loopback listener handing each request to `handle` as a web-standard Request, as api/ will. */
async function listen(handle: (request: Request) => Promise<Response>): Promise<string> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const request = new Request(`http://127.0.0.1${incoming.url ?? '/'}`, {
        method: incoming.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      void handle(request).then(async (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Graph change notifications', () => {
  it('echoes the URL-decoded validationToken as text/plain', async () => {
    const h = await start(30);
    const response = await h.ingest.handleGraphNotification(
      new Request(
        'http://127.0.0.1/api/webhooks/graph?validationToken=Validation%3A%20Testing%20client+app%2B1',
        {
          method: 'POST',
        },
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('Validation: Testing client app+1');
  });

  it('rejects a notification whose clientState does not match, and starts no fetch', async () => {
    const h = await start(30);
    const response = await h.ingest.handleGraphNotification(graphNotification('not-the-secret'));
    expect(response.status).toBe(403);
    await h.ingest.idle();
    expect(h.sim.requests.filter((r) => r.service === 'graph')).toHaveLength(0);
  });

  it('answers 202 at once and fetches the affected source in the background', async () => {
    const h = await start(600);
    const started = Date.now();
    const response = await h.ingest.handleGraphNotification(graphNotification(WEBHOOK_SECRET));
    expect(response.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(3000);
    await h.ingest.idle();
    const stored = await h.storedIds();
    expect(stored.directory.length).toBeGreaterThan(0);
    expect(stored.unified).toHaveLength(0);
    const health = await h.ingest.sourceHealth();
    expect(health.find((entry) => entry.source === 'directory')?.last_success_at).toBeInstanceOf(Date);
  });
});

describe('Management Activity API notifications', () => {
  it('passes the validation handshake, checks Webhook-AuthID, and downloads announced content', async () => {
    const h = await start(600);
    await h.ingest.runFetch({ sources: ['unified'] });
    const address = await listen((request) => h.ingest.handleManagementNotification(request));

    // A wrong AuthID is refused, even for the handshake.
    const forged = await fetch(address, {
      method: 'POST',
      headers: { 'webhook-validationcode': 'abc', 'webhook-authid': 'guess' },
      body: '{}',
    });
    expect(forged.status).toBe(403);

    // Register the webhook the way an operator would; the sim validates the address first.
    const token = (await (
      await fetch(`${h.sim.urls.login}/${h.sim.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: h.sim.clientId,
          client_secret: h.sim.clientSecret,
          scope: `${h.sim.urls.management}/.default`,
          grant_type: 'client_credentials',
        }),
      })
    ).json()) as { access_token: string };
    const register = await fetch(
      `${h.sim.urls.management}/api/v1.0/${h.sim.tenantId}/activity/feed/subscriptions/start?contentType=Audit.Exchange&PublisherIdentifier=${h.sim.tenantId}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ webhook: { address, authId: WEBHOOK_SECRET } }),
      },
    );
    expect(register.status).toBe(200);

    // Listing is down: only the notification can bring the new blob in.
    h.sim.faults.add({ path: '/activity/feed/subscriptions/content', status: 500 });
    const late = h.sim.addEvents(4, { lateByHours: 0, sources: ['Audit.Exchange'] });
    await h.sim.flushNotifications();
    await h.ingest.idle();
    const stored = new Set((await h.storedIds()).unified);
    for (const id of late) expect(stored.has(id), id).toBe(true);
    expect(await database.db.collection('watermarks').countDocuments({ kind: 'pending' })).toBe(0);
  });
});
