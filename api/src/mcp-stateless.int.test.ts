import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';

/**
 * MCP_STATELESS=true: two replicas over one database, and a client whose requests alternate between them (a
 * load balancer without sticky sessions). Every request must be answerable by whichever replica gets it.
 */

const database = useTestDatabase('api_mcp_stateless');
let replicas: Harness[] = [];

beforeAll(async () => {
  replicas = await Promise.all(
    [0, 1].map(() => startHarness(database, { mcp: true, env: { MCP_STATELESS: 'true' } })),
  );
  await replicas[0]!.core.ingest.runFetch({ hours: 48, sources: ['directory'] });
});

afterAll(async () => {
  await Promise.allSettled(replicas.map((replica) => replica.close()));
});

describe('stateless MCP across replicas', () => {
  it('serves one client from both replicas in turn', async () => {
    let turn = 0;
    const hits = [0, 0];
    const balancer = (url: string | URL, init?: RequestInit) => {
      const index = turn++ % 2;
      hits[index]! += 1;
      const target = new URL(url);
      return fetch(`${replicas[index]!.url}${target.pathname}${target.search}`, init);
    };
    const client = new Client({ name: 'balanced', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${replicas[0]!.url}/mcp`), {
      fetch: balancer,
    });
    await client.connect(transport);
    try {
      expect(transport.sessionId).toBeUndefined();
      for (let i = 0; i < 3; i += 1) {
        expect((await client.listTools()).tools.map((t) => t.name)).toContain('search_events');
        const result = (await client.callTool({
          name: 'search_events',
          arguments: { limit: 2 },
        })) as CallToolResult;
        expect(result.isError ?? false).toBe(false);
        expect((result.structuredContent as { items: unknown[] }).items.length).toBe(2);
      }
      expect(hits[0]).toBeGreaterThan(2);
      expect(hits[1]).toBeGreaterThan(2);
    } finally {
      await client.close();
    }
  });

  it('has no legacy SSE endpoint (it needs sessions)', async () => {
    const res = await replicas[1]!.request('/mcp/sse');
    expect(res.status).toBe(404);
  });
});
