import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badTokens, startLlmSim, startMicrosoftSim, startOidcSim } from '@aoc/sim';
import type { LlmSim, MicrosoftSim, OidcSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { printFigure, probe } from './http-probe.test-helpers.js';
import { freePort, spawnAoc } from './spawn-aoc.test-helpers.js';
import type { AocProcess } from './spawn-aoc.test-helpers.js';

/**
 * Credentials never reach the logs. The real `aoc serve` (its production logger, at `trace`) is driven with
 * valid and bad bearer tokens on REST, tRPC and MCP, tokens in the wrong places, an ingestion that fails at
 * login, and an AI question; afterwards its whole output must contain no token, no signature, no secret.
 */

const database = useTestDatabase('hardening_logs');
let oidc: OidcSim;
let cloud: MicrosoftSim;
let llm: LlmSim;
let aoc: AocProcess;
let url: string;
const secrets = {
  llmKey: 'sk-hardening-llm-key-5f1c2a9e7d',
  webhookSecret: 'hardening-webhook-client-state-77a1',
};
const figures = { requests: 0, tokens: 0, logLines: 0, leaks: 0 };

const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g;

beforeAll(async () => {
  oidc = await startOidcSim();
  cloud = await startMicrosoftSim({ events: 50 });
  llm = await startLlmSim({ apiKey: secrets.llmKey });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  aoc = spawnAoc(['serve'], {
    LOG_LEVEL: 'trace',
    HOST: '127.0.0.1',
    PORT: String(port),
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    AUTH_ENABLED: 'true',
    AUTH_TENANT_ID: oidc.tenantId,
    AUTH_CLIENT_ID: oidc.clientId,
    AUTH_ALLOWED_ROLES: 'AOC.Reader',
    // Users sign in at the OIDC issuer; ingestion then asks the issuer for its token too, and fails: the failure
    // path is the one most likely to log a request with its secret.
    LOGIN_BASE_URL: oidc.issuerOrigin,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
    WEBHOOK_CLIENT_SECRET: secrets.webhookSecret,
    LLM_API_KEY: secrets.llmKey,
    LLM_BASE_URL: llm.url,
  });
  await aoc.waitFor(/AOC listening/, 60_000);
}, 90_000);

afterAll(async () => {
  if (aoc && aoc.child.exitCode === null) {
    aoc.child.kill('SIGKILL');
    await aoc.exited;
  }
  await llm?.stop();
  await cloud?.stop();
  await oidc?.stop();
});

async function send(
  path: string,
  token: string | undefined,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  figures.requests += 1;
  return probe(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe('credentials in the logs', () => {
  it('logs no token, signature or secret whatever the requests', async () => {
    const valid = await oidc.mintToken();
    const noRole = await oidc.mintToken({ claims: { roles: undefined, groups: ['not-granting'] } });
    const bad = await badTokens(oidc);
    const tokens = [valid, noRole, ...bad.map((b) => b.token)];
    figures.tokens = tokens.length;

    expect((await send('/api/events?page_size=2', valid)).status).toBe(200);
    expect((await send('/api/events?page_size=2', noRole)).status).toBe(403);
    expect((await send('/trpc/events.search?input=%7B%7D', valid)).status).toBe(200);
    expect(
      (
        await send('/api/ask', valid, {
          method: 'POST',
          body: { question: 'who changed policies in the last day?' },
        })
      ).status,
    ).toBe(200);
    // Ingestion logs in at the issuer, which refuses: the run reports failure without the client secret.
    const fetched = await send('/api/fetch-audit-logs?hours=1', valid, { method: 'POST' });
    expect(fetched.status).toBeLessThan(500);
    for (const token of bad.map((b) => b.token)) {
      expect((await send('/api/events', token)).status).toBeGreaterThanOrEqual(401);
      await send('/trpc/events.filterOptions', token);
      await send('/mcp', token, { method: 'POST', body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    }
    // Tokens where they do not belong: the query string, a cookie, a broken scheme, a mangled value.
    await send(`/api/events?access_token=${valid}`, undefined);
    await send('/api/events', undefined, {
      headers: { cookie: `token=${valid}`, authorization: `Basic ${valid}` },
    });
    await send('/api/events', `${valid}x`);
    await send('/api/events/does-not-exist', valid);
    await send('/api/webhooks/graph', undefined, {
      method: 'POST',
      body: { value: [{ clientState: 'wrong' }] },
    });
    await send('/api/webhooks/management', undefined, {
      method: 'POST',
      headers: { 'webhook-authid': `${secrets.webhookSecret}-wrong` },
      body: [],
    });

    aoc.child.kill('SIGTERM');
    await aoc.exited;
    const output = aoc.output();
    figures.logLines = output.split('\n').filter(Boolean).length;
    // The log is not empty: requests were seen and logged at trace level.
    expect(output).toMatch(/AOC listening/);
    expect(figures.logLines).toBeGreaterThan(5);

    const leaks: string[] = [];
    const look = (label: string, needle: string) => {
      if (needle.length >= 12 && output.includes(needle)) leaks.push(label);
    };
    tokens.forEach((token, i) => {
      look(`token ${i}`, token);
      const [header, payload, signature] = token.split('.');
      look(`token ${i} payload`, payload ?? '');
      look(`token ${i} signature`, signature ?? '');
      look(`token ${i} header+payload`, `${header}.${payload}`);
    });
    look('CLIENT_SECRET', cloud.clientSecret);
    look('LLM_API_KEY', secrets.llmKey);
    look('WEBHOOK_CLIENT_SECRET', secrets.webhookSecret);
    for (const match of output.matchAll(JWT)) leaks.push(`a JWT: ${match[0].slice(0, 20)}…`);
    figures.leaks = leaks.length;
    printFigure('token logging', figures);
    expect(leaks).toEqual([]);
  }, 90_000);
});
