import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { expect, it } from 'vitest';

it('`npm run sim -- oidc` prints its URLs and a valid token as one JSON line, and exits on SIGTERM', async () => {
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  const args = [
    '--conditions=@aoc/source',
    '--import',
    'tsx',
    cli,
    'oidc',
    '--tenant-id',
    't-cli',
    '--client-id',
    'c-cli',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const announced = JSON.parse(line) as {
      service: string;
      url: string;
      tenantId: string;
      issuer: string;
      jwksUri: string;
      token: string;
    };
    expect(announced).toMatchObject({ service: 'oidc', tenantId: 't-cli', clientId: 'c-cli' });
    const discovery = (await (
      await fetch(`${announced.url}/t-cli/v2.0/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(announced.issuer);
    await jwtVerify(announced.token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: 'c-cli',
    });
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
}, 20_000);
