import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { badTokens } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from './test-support/harness.js';
import type { Harness } from './test-support/harness.js';
import { json } from './test-support/json.js';

/**
 * The MCP transports as mounted in the app, through a real listener and the SDK's own clients: every tool
 * answers what the REST API answers for the same filters, over Streamable HTTP and legacy SSE alike, and
 * auth guards both (401 with sign-in discovery, sessions bound to the caller that opened them).
 */

const database = useTestDatabase('api_mcp_transports');
let h: Harness;
let aliceToken: string;
let bobToken: string;
const clients: Client[] = [];

type Kind = 'streamable' | 'sse';

function transportFor(kind: Kind, token: string): Transport {
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  return kind === 'streamable'
    ? new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit })
    : new SSEClientTransport(new URL(`${h.url}/mcp/sse`), { requestInit });
}

async function connect(kind: Kind, token = aliceToken): Promise<{ client: Client; transport: Transport }> {
  const transport = transportFor(kind, token);
  const client = new Client({ name: `api-${kind}-test`, version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function withoutRaw(event: Record<string, unknown>): Record<string, unknown> {
  const { raw: _raw, raw_text: _rawText, ...rest } = event;
  return rest;
}

beforeAll(async () => {
  h = await startHarness(database, { auth: true, mcp: true });
  await h.core.ingest.runFetch({ hours: 48, sources: ['directory', 'intune'] });
  aliceToken = await h.token();
  bobToken = await h.token({ claims: { oid: '0b0b0b0b-0000-4000-8000-000000000b0b', name: 'Bob' } });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await h?.close();
});

describe.each<Kind>(['streamable', 'sse'])('MCP over %s in the app', (kind) => {
  it('lists the read-only tools', async () => {
    const { client } = await connect(kind);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['ask', 'get_event', 'get_source_health', 'get_summary', 'list_filter_values', 'search_events'].sort(),
    );
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });

  it('answers search_events, get_event, list_filter_values and get_source_health as the REST API does', async () => {
    const { client } = await connect(kind);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST answers are compared as loose JSON
    const rest = async (path: string): Promise<any> => json(await h.request(path, { token: aliceToken }));

    const page = await rest('/api/events?source=directory&page_size=7');
    const searched = await call(client, 'search_events', { source: 'directory', limit: 7 });
    const structured = searched.structuredContent as { items: unknown[]; next_cursor: string | null };
    expect(structured.items).toEqual(page.items.map(withoutRaw));
    expect(structured.items.length).toBe(7);

    const filterOptions = await rest('/api/filter-options');
    const operation = filterOptions.operations[0].value as string;
    const byOperation = await rest(`/api/events?operation=${encodeURIComponent(operation)}&page_size=20`);
    const mcpByOperation = await call(client, 'search_events', { operation, limit: 20 });
    expect(
      (mcpByOperation.structuredContent as { items: { _id: string }[] }).items.map((e) => e._id),
    ).toEqual(byOperation.items.map((e: { _id: string }) => e._id));

    const id = page.items[0]._id as string;
    const event = await call(client, 'get_event', { id });
    expect((event.structuredContent as { event: unknown }).event).toEqual(await rest(`/api/events/${id}`));

    const values = await call(client, 'list_filter_values', { limit: 500 });
    const { notice: _notice, ...options } = values.structuredContent as Record<string, unknown>;
    expect(options).toEqual(filterOptions);

    const health = await call(client, 'get_source_health');
    const restHealth = await rest('/api/source-health');
    expect((health.structuredContent as { sources: unknown[] }).sources).toEqual(restHealth);
  });

  it('returns tool errors for bad arguments and unknown ids, and the session goes on', async () => {
    const { client } = await connect(kind);
    for (const [name, args] of [
      ['search_events', { limit: 1000 }],
      ['search_events', { start: 'the day before' }],
      ['get_event', { id: 'does-not-exist' }],
      ['get_summary', { days: -3 }],
      ['ask', { question: '' }],
    ] as const) {
      const result = await call(client, name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
    }
    expect((await call(client, 'get_summary', { days: 2 })).isError).toBeFalsy();
  });
});

describe('MCP auth in the app', () => {
  it('refuses missing and invalid tokens with 401 and points to the protected-resource metadata', async () => {
    const requests: [string, RequestInit][] = [
      ['/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['/mcp', { method: 'GET' }],
      ['/mcp/sse', { method: 'GET' }],
      [
        '/mcp/messages?sessionId=abc',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      ],
    ];
    const bad = (await badTokens(h.oidc)).filter((token) => token.kind !== 'group-overage');
    for (const [path, init] of requests) {
      const none = await h.request(path, init);
      expect(none.status, `${path} without a token`).toBe(401);
      expect(none.headers.get('www-authenticate'), path).toContain(
        `resource_metadata="${h.url}/.well-known/oauth-protected-resource/mcp"`,
      );
      for (const token of bad) {
        const res = await h.request(path, { ...init, token: token.token });
        expect(res.status, `${path} with ${token.kind}`).toBe(401);
      }
    }
    const metadata = await json(await fetch(`${h.url}/.well-known/oauth-protected-resource/mcp`));
    expect(metadata.resource).toBe(`${h.url}/mcp`);
    expect(metadata.authorization_servers).toEqual([
      `${h.config.microsoft.loginBaseUrl}/${h.oidc.tenantId}/v2.0`,
    ]);
  });

  it('does not let another signed-in caller reuse a Streamable HTTP session', async () => {
    const { transport } = await connect('streamable');
    const sessionId = (transport as StreamableHTTPClientTransport).sessionId!;
    const list = (token: string) =>
      h.request('/mcp', {
        method: 'POST',
        token,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
    const stolen = await list(bobToken);
    expect(stolen.status).toBe(404);
    const own = await list(aliceToken);
    expect(own.status).toBe(200);
    await own.body?.cancel();
  });

  it('does not let another signed-in caller post into an SSE session', async () => {
    const res = await h.request('/mcp/sse', { token: aliceToken, headers: { accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    const endpoint = /data: (\S+)/.exec(new TextDecoder().decode(value))![1]!;
    const post = (token: string) =>
      h.request(endpoint, {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    expect((await post(bobToken)).status).toBe(404);
    expect((await post(aliceToken)).status).toBe(202);
    await reader.cancel();
  });

  it('refuses a browser page from a foreign origin even with a valid token', async () => {
    const res = await h.request('/mcp', {
      method: 'POST',
      token: aliceToken,
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});
