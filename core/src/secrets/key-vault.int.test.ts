import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { applyKeyVaultSecrets } from './key-vault.js';

const TOKEN = 'fake-vault-token';

interface FakeVault {
  url: string;
  secrets: Map<string, string>;
  /** Secret names this vault refuses with 403, as a vault without the Get permission does. */
  forbidden: Set<string>;
  requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/**
 * The slice of the Key Vault REST API the SDK uses for `getSecret`: `GET /secrets/{name}[/{version}]`, with
 * the challenge-based bearer authentication of the real service (a 401 naming the resource first).
 */
async function startFakeVault(): Promise<FakeVault> {
  const secrets = new Map<string, string>();
  const forbidden = new Set<string>();
  const requests: FakeVault['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://vault');
    requests.push({ path: url.pathname, authorization: req.headers.authorization });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate':
          'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"',
      });
      const message = req.headers.authorization
        ? 'AKV10032: Invalid issuer.'
        : 'AKV10000: Request is missing a Bearer or PoP token.';
      res.end(JSON.stringify({ error: { code: 'Unauthorized', message } }));
      return;
    }
    const match = /^\/secrets\/([^/]+)\/?$/.exec(url.pathname);
    if (req.method !== 'GET' || !match?.[1] || !url.searchParams.get('api-version')) {
      json(400, { error: { code: 'BadParameter', message: 'unsupported request' } });
      return;
    }
    const name = match[1];
    if (forbidden.has(name)) {
      json(403, {
        error: {
          code: 'Forbidden',
          message: `The user, group or application does not have secrets get permission on key vault`,
          innererror: { code: 'AccessDenied' },
        },
      });
      return;
    }
    const value = secrets.get(name);
    if (value === undefined) {
      json(404, {
        error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found` },
      });
      return;
    }
    json(200, { value, id: `${fakeUrl}/secrets/${name}/0123456789abcdef`, attributes: { enabled: true } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: fakeUrl,
    secrets,
    forbidden,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function credential(token = TOKEN, scopes: string[][] = []): TokenCredential {
  return {
    getToken: (scope) => {
      scopes.push(Array.isArray(scope) ? scope : [scope]);
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

describe('Key Vault secrets', () => {
  let vault: FakeVault;
  beforeAll(async () => {
    vault = await startFakeVault();
  });
  afterAll(() => vault.close());
  beforeEach(() => {
    vault.secrets.clear();
    vault.forbidden.clear();
    vault.requests.length = 0;
  });

  it('leaves the environment alone and calls no vault when AZURE_KEY_VAULT_NAME is unset', async () => {
    const env = { CLIENT_SECRET: 'from-env' };
    await expect(applyKeyVaultSecrets(env, { vaultUrl: vault.url })).resolves.toBe(env);
    expect(vault.requests).toEqual([]);
  });

  it('overrides .env with the vault values, keeps variables whose secret is missing, and authenticates', async () => {
    vault.secrets.set('aoc-client-secret', 'vault-client-secret');
    vault.secrets.set('aoc-mongo-uri', 'mongodb://vault-user:pw@db.example:27017/');
    vault.secrets.set('aoc-webhook-client-secret', 'vault-webhook');
    const scopes: string[][] = [];
    const env = await applyKeyVaultSecrets(
      {
        AZURE_KEY_VAULT_NAME: 'aoc-vault',
        CLIENT_SECRET: 'from-dotenv',
        LLM_API_KEY: 'from-dotenv-llm',
        MONGO_URI: 'mongodb://localhost:27017/',
        TENANT_ID: 'contoso.onmicrosoft.com',
      },
      { vaultUrl: vault.url, credential: credential(TOKEN, scopes) },
    );
    expect(env).toMatchObject({
      CLIENT_SECRET: 'vault-client-secret',
      MONGO_URI: 'mongodb://vault-user:pw@db.example:27017/',
      WEBHOOK_CLIENT_SECRET: 'vault-webhook',
      LLM_API_KEY: 'from-dotenv-llm',
      TENANT_ID: 'contoso.onmicrosoft.com',
    });
    expect(scopes.flat()).toContain('https://vault.azure.net/.default');
    const read = vault.requests.filter((r) => r.authorization === `Bearer ${TOKEN}`).map((r) => r.path);
    expect(read.map((p) => p.replace(/\/$/, '')).sort()).toEqual([
      '/secrets/aoc-client-secret',
      '/secrets/aoc-llm-api-key',
      '/secrets/aoc-mongo-uri',
      '/secrets/aoc-webhook-client-secret',
    ]);
  });

  it('lets a production deployment keep its client secret only in the vault', async () => {
    vault.secrets.set('aoc-client-secret', 'vault-only-secret');
    const raw = {
      NODE_ENV: 'production',
      MONGO_URI: 'mongodb://db.example.com:27017',
      AZURE_KEY_VAULT_NAME: 'aoc-vault',
      TENANT_ID: 'contoso.onmicrosoft.com',
      CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    };
    expect(() => loadConfig(raw)).toThrow(/CLIENT_SECRET/);
    const config = loadConfig(
      await applyKeyVaultSecrets(raw, { vaultUrl: vault.url, credential: credential() }),
    );
    expect(config.microsoft.clientSecret).toBe('vault-only-secret');
  });

  it('names the vault and the Get permission when the vault refuses a read (403)', async () => {
    vault.forbidden.add('aoc-llm-api-key');
    const error = await applyKeyVaultSecrets(
      { AZURE_KEY_VAULT_NAME: 'aoc-vault' },
      { vaultUrl: vault.url, credential: credential() },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
    const message = (error as Error).message;
    expect(message).toContain('Key Vault "aoc-vault"');
    expect(message).toContain('"aoc-llm-api-key"');
    expect(message).toContain('403');
    expect(message).toMatch(/"Get" permission on secrets/);
  });

  it('reports a rejected token (401 after the challenge) as a startup error', async () => {
    await expect(
      applyKeyVaultSecrets(
        { AZURE_KEY_VAULT_NAME: 'aoc-vault' },
        { vaultUrl: vault.url, credential: credential('token-of-another-tenant') },
      ),
    ).rejects.toThrow(/Key Vault "aoc-vault".*rejected the access token.*401/s);
  });

  it('reports a vault that cannot be reached, naming it', async () => {
    const closed = await startFakeVault();
    const url = closed.url;
    await closed.close();
    const started = Date.now();
    const error = await applyKeyVaultSecrets(
      { AZURE_KEY_VAULT_NAME: 'aoc-vault' },
      { vaultUrl: url, credential: credential(), maxRetries: 0 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
    expect((error as Error).message).toMatch(
      /Key Vault "aoc-vault" \(http:\/\/127\.0\.0\.1:\d+\) cannot be reached/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a credential that yields no token', async () => {
    const broken: TokenCredential = {
      getToken: () => Promise.reject(new Error('ManagedIdentityCredential: no managed identity endpoint')),
    };
    await expect(
      applyKeyVaultSecrets(
        { AZURE_KEY_VAULT_NAME: 'aoc-vault' },
        { vaultUrl: vault.url, credential: broken },
      ),
    ).rejects.toThrow(/Key Vault "aoc-vault".*no access token.*no managed identity endpoint/s);
  });

  it('refuses an invalid vault name and a non-https vault URL before any request', async () => {
    await expect(applyKeyVaultSecrets({ AZURE_KEY_VAULT_NAME: 'no_underscores!' })).rejects.toThrow(
      /AZURE_KEY_VAULT_NAME: not a valid Key Vault name/,
    );
    await expect(
      applyKeyVaultSecrets(
        { AZURE_KEY_VAULT_NAME: 'aoc-vault' },
        { vaultUrl: 'http://vault.example.com', credential: credential() },
      ),
    ).rejects.toThrow(/must use https/);
    expect(vault.requests).toEqual([]);
  });
});
