import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { json } from '../test-support/json.js';
import type { AppRouter } from '../trpc/app-router.js';

/**
 * With SIEM forwarding on, source health carries a `siem` entry on every surface. No forwarder runs here (as in
 * a replica that only serves reads), so nothing is sent to the SIEM URL: the entry shows the queued backlog.
 */

const database = useTestDatabase('api_source_health_siem');
let h: Harness;
let mcp: Client;

beforeAll(async () => {
  h = await startHarness(database, {
    events: 50,
    mcp: true,
    env: { SIEM_ENABLED: 'true', SIEM_WEBHOOK_URL: 'https://siem.example.com/ingest/token' },
  });
  await h.core.ingest.runFetch({ hours: 48, sources: ['directory'] });
  mcp = new Client({ name: 'source-health-siem-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`)));
});

afterAll(async () => {
  await mcp?.close();
  await h?.close();
});

describe('source health with SIEM forwarding on', () => {
  it('REST, tRPC and MCP list the SIEM entry after the sources, with its backlog', async () => {
    const backlog = (await h.core.siem.stats()).backlog;
    expect(backlog).toBeGreaterThan(0);

    const rest = await json(await h.request('/api/source-health'));
    expect(rest.map((entry: { source: string }) => entry.source)).toEqual([
      'directory',
      'intune',
      'unified',
      'siem',
    ]);
    const siem = rest[3];
    expect(siem).toMatchObject({
      source: 'siem',
      status: 'unknown',
      reason: 'no delivery attempted yet',
      siem: { backlog, circuit: 'closed', consecutive_failures: 0, stalled_after_seconds: 900 },
    });
    expect(typeof siem.siem.oldest_pending_at).toBe('string');

    const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${h.url}/trpc` })] });
    const viaTrpc = await trpc.ingest.sourceHealth.query();
    expect(viaTrpc.at(-1)).toMatchObject({ source: 'siem', siem: { backlog } });

    const tool = (await mcp.callTool({ name: 'get_source_health', arguments: {} })) as CallToolResult;
    const sources = (tool.structuredContent as { sources: Record<string, unknown>[] }).sources;
    expect(sources.at(-1)).toMatchObject({ source: 'siem', status: 'unknown', siem: { backlog } });
    const text = tool.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    expect(text).toContain(`siem: unknown; no delivery attempted yet`);
    expect(text).toContain(`${backlog} item(s) waiting for the SIEM`);
  });
});
