import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvSchema, SECRET_KEYS, loadConfig, readEnvFile, redactConfig, redactUri } from './config.js';
import { isAppError } from './errors.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(isAppError(error) && error.code).toBe('CONFIG');
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({
      host: '127.0.0.1',
      port: 8000,
      trustProxy: false,
      docsEnabled: false,
    });
    expect(config.mongo).toEqual({ uri: undefined, db: 'micro_soc' });
    expect(config.fetch).toEqual({ periodic: false, intervalMinutes: 60 });
    expect(config.ai).toMatchObject({
      enabled: true,
      model: 'gpt-4o-mini',
      maxEvents: 50,
      timeoutSeconds: 30,
    });
    expect(config.microsoft.graphBaseUrl).toBe('https://graph.microsoft.com');
    expect(config.server.metricsAllowedIps).toContain('127.0.0.0/8');
    expect(config.retentionDays).toBeUndefined();
  });

  it('parses booleans, numbers and comma lists', () => {
    const config = loadConfig({
      AUTH_ENABLED: '1',
      AUTH_TENANT_ID: '11111111-2222-3333-4444-555555555555',
      AUTH_CLIENT_ID: 'api-app',
      AUTH_ALLOWED_ROLES: ' Admins, SecurityOps ,,',
      ENABLE_PERIODIC_FETCH: 'TRUE',
      FETCH_INTERVAL_MINUTES: '15',
      RETENTION_DAYS: '90',
      AI_FEATURES_ENABLED: 'false',
      CORS_ORIGINS: 'http://localhost:3000,https://app.example.com',
      GRAPH_BASE_URL: 'https://graph.microsoft.us/',
    });
    expect(config.auth).toEqual({
      enabled: true,
      tenantId: '11111111-2222-3333-4444-555555555555',
      clientId: 'api-app',
      allowedRoles: ['Admins', 'SecurityOps'],
      allowedGroups: [],
    });
    expect(config.fetch).toEqual({ periodic: true, intervalMinutes: 15 });
    expect(config.retentionDays).toBe(90);
    expect(config.ai.enabled).toBe(false);
    expect(config.server.corsOrigins).toEqual(['http://localhost:3000', 'https://app.example.com']);
    expect(config.microsoft.graphBaseUrl).toBe('https://graph.microsoft.us');
  });

  it('accepts plain http only for loopback Microsoft endpoints', () => {
    expect(loadConfig({ LOGIN_BASE_URL: 'http://127.0.0.1:4010' }).microsoft.loginBaseUrl).toBe(
      'http://127.0.0.1:4010',
    );
    expect(problemsOf({ LOGIN_BASE_URL: 'http://login.example.com' })).toMatch(
      /LOGIN_BASE_URL: must use https/,
    );
  });

  it('lists every bad variable in one message', () => {
    const message = problemsOf({
      FETCH_INTERVAL_MINUTES: '0',
      PORT: 'eighty',
      AUTH_ENABLED: 'maybe',
      LOG_LEVEL: 'loud',
      GRAPH_BASE_URL: 'not a url',
    });
    expect(message).toMatch(/FETCH_INTERVAL_MINUTES: must be between 1 and 1440, got 0/);
    expect(message).toMatch(/PORT: expected a whole number, got "eighty"/);
    expect(message).toMatch(/AUTH_ENABLED: expected true\/false\/1\/0, got "maybe"/);
    expect(message).toMatch(/LOG_LEVEL:/);
    expect(message).toMatch(/GRAPH_BASE_URL: not a valid URL/);
  });

  it('reports missing settings that other settings require', () => {
    const message = problemsOf({
      AUTH_ENABLED: 'true',
      SIEM_ENABLED: 'true',
      TENANT_ID: 'contoso.onmicrosoft.com',
    });
    expect(message).toMatch(/AUTH_TENANT_ID: required when AUTH_ENABLED=true/);
    expect(message).toMatch(/AUTH_CLIENT_ID: required when AUTH_ENABLED=true/);
    expect(message).toMatch(/SIEM_WEBHOOK_URL: required when SIEM_ENABLED=true/);
    expect(message).toMatch(/CLIENT_ID, CLIENT_SECRET: required together/);
  });

  it('refuses to start in production without Microsoft credentials, naming them', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toMatch(/MONGO_URI: required when NODE_ENV=production/);
    expect(problemsOf({ NODE_ENV: 'production' })).toMatch(
      /TENANT_ID, CLIENT_ID, CLIENT_SECRET: required when NODE_ENV=production/,
    );
  });

  it('never prints a secret value in its errors', () => {
    const message = problemsOf({ SIEM_WEBHOOK_URL: 'hunter2-not-a-url', FETCH_INTERVAL_MINUTES: 'x' });
    expect(message).toMatch(/SIEM_WEBHOOK_URL: not a valid URL/);
    expect(message).not.toContain('hunter2');
  });
});

describe('redaction', () => {
  it('masks every secret and the password inside the Mongo URI', () => {
    const config = loadConfig({
      TENANT_ID: 'contoso.onmicrosoft.com',
      CLIENT_ID: 'app',
      CLIENT_SECRET: 'client-secret-value',
      MONGO_URI: 'mongodb://root:mongo-password@db:27017/?authSource=admin',
      LLM_API_KEY: 'llm-key-value',
      WEBHOOK_CLIENT_SECRET: 'webhook-secret-value',
      MONGO_ROOT_PASSWORD: 'root-password-value',
      SIEM_ENABLED: 'true',
      SIEM_WEBHOOK_URL: 'https://siem.example.com/hook?token=siem-token-value',
    });
    const logged = JSON.stringify(redactConfig(config));
    for (const secret of [
      'client-secret-value',
      'mongo-password',
      'llm-key-value',
      'webhook-secret-value',
      'root-password-value',
      'siem-token-value',
    ]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).toContain('mongodb://root:[redacted]@db:27017');
    expect(config.microsoft.clientSecret).toBe('client-secret-value');
  });

  it('tags exactly the secret settings', () => {
    expect([...SECRET_KEYS].sort()).toEqual(
      [
        'CLIENT_SECRET',
        'LLM_API_KEY',
        'MONGO_ROOT_PASSWORD',
        'MONGO_URI',
        'SIEM_WEBHOOK_URL',
        'WEBHOOK_CLIENT_SECRET',
      ].sort(),
    );
  });

  it('leaves URIs without credentials readable', () => {
    expect(redactUri('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017');
    expect(redactUri('https://x.example.com/hook?sig=abc')).toBe('https://x.example.com/hook?[redacted]');
  });
});

describe('.env files', () => {
  it('reads a .env file and lets the process environment win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aoc-env-'));
    const path = join(dir, '.env');
    writeFileSync(path, '# comment\nPORT=9000\nLLM_MODEL="gpt-4.1"\nFETCH_INTERVAL_MINUTES=30\n');
    const config = loadConfig({ ...readEnvFile(path), FETCH_INTERVAL_MINUTES: '5' });
    expect(config.server.port).toBe(9000);
    expect(config.ai.model).toBe('gpt-4.1');
    expect(config.fetch.intervalMinutes).toBe(5);
  });

  it('treats a missing .env as empty', () => {
    expect(readEnvFile(join(tmpdir(), 'does-not-exist', '.env'))).toEqual({});
  });

  it('.env.example documents every setting the schema knows, and nothing else', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(Object.keys(EnvSchema.shape)));
    expect(() =>
      loadConfig(readEnvFile(new URL('../../.env.example', import.meta.url).pathname)),
    ).not.toThrow();
  });
});
