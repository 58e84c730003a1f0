import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';
import { json } from './test-support/json.js';

const database = useTestDatabase('api_mcp');
let h: Harness;

beforeAll(async () => {
  h = await startHarness(database, { auth: true, mcp: true });
  await h.core.ingest.runFetch({ hours: 48, sources: ['directory'] });
});

afterAll(async () => {
  await h.close();
});

describe('MCP mounted in the app', () => {
  it('sends MCP clients to the sign-in metadata when the token is missing', async () => {
    const res = await h.request('/mcp', { method: 'POST' });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${h.url}/.well-known/oauth-protected-resource/mcp`);
    const metadata = await json(await fetch(metadataUrl!));
    expect(metadata.authorization_servers).toEqual([
      `${h.config.microsoft.loginBaseUrl}/${h.oidc.tenantId}/v2.0`,
    ]);
  });

  it('serves the tools to a signed-in client over Streamable HTTP', async () => {
    const token = await h.token();
    const client = new Client({ name: 'api-test', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('search_events');
      const result = await client.callTool({ name: 'search_events', arguments: { limit: 3 } });
      expect(result.isError ?? false).toBe(false);
    } finally {
      await client.close();
    }
  });
});
