import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MicrosoftSim } from './server.js';
import { call, getToken } from './test-support/client.js';
import { walkEverything } from './test-support/walk.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Starts `npm run sim -- microsoft …` as a user would and reads its one JSON line. */
async function startCli(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--conditions=@aoc/source', '--import', 'tsx', 'sim/src/cli.ts', 'microsoft', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  return {
    child,
    info: JSON.parse(line) as {
      service: string;
      urls: MicrosoftSim['urls'];
      tenantId: string;
      clientId: string;
      clientSecret: string;
      events: { total: number };
    },
  };
}

describe('npm run sim -- microsoft', () => {
  it('prints its URLs and credentials, and a plain HTTP walk retrieves exactly the generated count', async () => {
    const { child, info } = await startCli(['--events', '10000', '--days', '7', '--seed', '3']);
    try {
      expect(info.service).toBe('microsoft');
      expect(info.events.total).toBe(10_000);
      // The walk needs only what the line tells a client: URLs, tenant and client credentials.
      const client = { ...info, requests: [] } as unknown as MicrosoftSim;
      const walk = await walkEverything(client, () => Date.now());
      const unique = Object.values(walk.ids).reduce((sum, ids) => sum + ids.size, 0);
      expect(unique).toBe(10_000);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 60_000);

  it('applies fault flags', async () => {
    const { child, info } = await startCli(['--events', '100', '--throttle-once', '/directoryAudits']);
    try {
      const client = { ...info, requests: [] } as unknown as MicrosoftSim;
      const token = await getToken(client, info.urls.graph);
      const first = await call(`${info.urls.graph}/v1.0/auditLogs/directoryAudits`, token);
      expect(first.status).toBe(429);
      expect(first.headers.get('retry-after')).toBe('1');
      expect((await call(`${info.urls.graph}/v1.0/auditLogs/directoryAudits`, token)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 30_000);
});
