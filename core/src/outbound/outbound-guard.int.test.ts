import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundRefusedError } from './outbound-error.js';
import { createOutboundGuard } from './outbound-guard.js';
import type { ResolveHost } from './resolve-host.js';

let server: Server;
let port = 0;
const hits: { path: string; host: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', host: req.headers.host });
    if (req.url === '/to-other-host') {
      res.writeHead(302, { location: `http://localhost:${port}/landed` }).end();
    } else if (req.url === '/to-same-host') {
      res.writeHead(307, { location: '/landed' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${req.method}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function refusal(promise: Promise<unknown>): Promise<OutboundRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutboundRefusedError);
  return error as OutboundRefusedError;
}

/** DNS answers of a test world: names mapped to addresses. */
const fakeDns =
  (answers: Record<string, string[]>): ResolveHost =>
  (host) =>
    Promise.resolve(
      (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const),
    );

describe('outbound guard', () => {
  const strict = createOutboundGuard({ allowedHosts: 'any', allowlistName: 'TEST_ALLOWED' });

  it.each([
    ['http://2130706433/', 'scheme'],
    ['https://2130706433/', 'address'],
    ['https://0x7f.0.0.1/', 'address'],
    ['https://017700000001/', 'address'],
    ['https://127.1/', 'address'],
    ['https://[::ffff:127.0.0.1]/', 'address'],
    ['https://[::1]/', 'address'],
    ['https://169.254.169.254/latest/meta-data/', 'address'],
    ['https://10.0.0.8/', 'address'],
    ['https://192.168.0.1/', 'address'],
    ['ftp://example.com/', 'scheme'],
    ['https://user:pw@example.com/', 'url'],
  ])('refuses %s (%s) without sending anything', async (url, reason) => {
    const error = await refusal(strict.fetch(url, { method: 'POST', body: '{}' }));
    expect(error.reason).toBe(reason);
    expect(error.code).toBe('FORBIDDEN');
  });

  it('names the address class in the message', async () => {
    const error = await refusal(strict.fetch('https://2130706433/'));
    expect(error.message).toBe('refused to connect to "127.0.0.1": 127.0.0.1 is a loopback address');
    const metadata = await refusal(strict.fetch('https://169.254.169.254/'));
    expect(metadata.message).toMatch(/link-local \(cloud metadata/);
  });

  it('refuses localhost and names that resolve to private addresses, by DNS', async () => {
    const real = await refusal(strict.fetch('https://localhost/'));
    expect(real.reason).toBe('address');
    expect(real.message).toMatch(/"localhost": .*loopback/);
    const guard = createOutboundGuard({
      allowedHosts: 'any',
      allowlistName: 'TEST_ALLOWED',
      resolve: fakeDns({
        'rebind.example': ['93.184.216.34', '10.0.0.5'],
        'meta.example': ['169.254.169.254'],
      }),
    });
    expect((await refusal(guard.fetch('https://rebind.example/'))).message).toMatch(
      /10\.0\.0\.5 is a private/,
    );
    expect((await refusal(guard.fetch('https://meta.example/'))).reason).toBe('address');
  });

  it('refuses hosts outside the allowlist, naming the setting', async () => {
    const guard = createOutboundGuard({
      allowedHosts: ['*.siem.example'],
      allowlistName: 'SIEM_ALLOWED_DOMAINS',
    });
    const error = await refusal(guard.fetch('https://evil.example/'));
    expect(error.reason).toBe('host');
    expect(error.message).toMatch(/SIEM_ALLOWED_DOMAINS/);
    expect(guard.checkUrl('https://eu.siem.example/x').hostname).toBe('eu.siem.example');
  });

  describe('against a receiver on 127.0.0.1 (loopback test setting)', () => {
    const pinned = createOutboundGuard({
      allowedHosts: ['siem.test', '127.0.0.1', 'localhost'],
      allowlistName: 'TEST_ALLOWED',
      allowLoopback: true,
      resolve: fakeDns({ 'siem.test': ['127.0.0.1'] }),
    });

    it('connects to the resolved address while keeping the host name', async () => {
      const response = await pinned.fetch(`http://siem.test:${port}/ingest`, { method: 'POST', body: 'x' });
      expect(await response.text()).toBe('ok POST');
      expect(hits.at(-1)).toEqual({ path: '/ingest', host: `siem.test:${port}` });
    });

    it('resolves the name once per request, redirects included (no rebinding window)', async () => {
      const answers = ['127.0.0.1', '10.0.0.9'];
      const lookups: string[] = [];
      const guard = createOutboundGuard({
        allowedHosts: ['rebind.test'],
        allowlistName: 'TEST_ALLOWED',
        allowLoopback: true,
        resolve: (host) => {
          lookups.push(host);
          // A rebinding DNS server: public-looking first, private on every later question.
          const address = answers[Math.min(lookups.length - 1, 1)]!;
          return Promise.resolve([{ address, family: 4 }]);
        },
      });
      const response = await guard.fetch(`http://rebind.test:${port}/to-same-host`, {
        method: 'POST',
        body: 'x',
      });
      expect(await response.text()).toBe('ok POST');
      expect(lookups).toEqual(['rebind.test']);
      expect((await refusal(guard.fetch(`http://rebind.test:${port}/`))).message).toMatch(/10\.0\.0\.9/);
    });

    it('follows a redirect on the same host, and refuses one to another host', async () => {
      const same = await pinned.fetch(`http://siem.test:${port}/to-same-host`, { method: 'POST', body: 'x' });
      expect(await same.text()).toBe('ok POST');
      const before = hits.length;
      const error = await refusal(pinned.fetch(`http://127.0.0.1:${port}/to-other-host`));
      expect(error.reason).toBe('redirect');
      expect(error.message).toMatch(/to "http:\/\/localhost:\d+"/);
      // The redirect target was never requested.
      expect(hits.slice(before).map((h) => h.path)).toEqual(['/to-other-host']);
    });

    it('still refuses private and metadata addresses', async () => {
      const guard = createOutboundGuard({
        allowedHosts: 'any',
        allowlistName: 'TEST_ALLOWED',
        allowLoopback: true,
      });
      expect((await refusal(guard.fetch('http://169.254.169.254/'))).reason).toBe('address');
      expect((await refusal(guard.fetch('http://10.0.0.1/'))).reason).toBe('address');
    });
  });
});
