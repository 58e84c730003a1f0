import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { useTestDatabase } from '@aoc/sim/testing';
import { call, newClient, startFixture } from '../test-support/fixture.js';
import type { Fixture } from '../test-support/fixture.js';
import type { McpCaller } from './caller.js';
import { createMcpHttpHandler } from './handler.js';
import type { McpHttpHandler, McpHttpOptions } from './handler.js';

const database = useTestDatabase('mcp_http');
const BASE = 'http://127.0.0.1:8000';
const alice: McpCaller = { identity: { tenantId: 't1', objectId: 'alice' } };
const bob: McpCaller = { identity: { tenantId: 't1', objectId: 'bob' } };
let fixture: Fixture;
const handlers: McpHttpHandler[] = [];
const clients: Client[] = [];

function handler(options: Partial<McpHttpOptions> = {}): McpHttpHandler {
  const created = createMcpHttpHandler(fixture.core, {
    origins: { allowedOrigins: ['https://inspector.example'], allowSameOrigin: false },
    ...options,
  });
  handlers.push(created);
  return created;
}

/** A fetch that hands requests straight to the handler, as the API would after authenticating `caller`. */
function fetchVia(target: McpHttpHandler, caller: McpCaller) {
  return (url: string | URL, init?: RequestInit) => target.fetch(new Request(url, init), caller);
}

async function streamableClient(target: McpHttpHandler, caller: McpCaller) {
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: fetchVia(target, caller),
  });
  const client = newClient();
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

async function sseClient(target: McpHttpHandler, caller: McpCaller) {
  const transport = new SSEClientTransport(new URL(`${BASE}/mcp/sse`), { fetch: fetchVia(target, caller) });
  const client = newClient();
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

function listRequest(sessionId?: string, headers: Record<string, string> = {}, origin = BASE): Request {
  return new Request(`${origin}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
  });
}

beforeAll(async () => {
  fixture = await startFixture(database);
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await Promise.allSettled(handlers.map((h) => h.close()));
  await fixture?.close();
});

describe('Streamable HTTP with sessions', () => {
  it('serves the tools with one server per session and unguessable session ids', async () => {
    const mcp = handler();
    const first = await streamableClient(mcp, alice);
    const second = await streamableClient(mcp, alice);
    const ids = [first.transport.sessionId, second.transport.sessionId];
    expect(ids.every((id) => /^[A-Za-z0-9_-]{43}$/.test(id ?? ''))).toBe(true);
    expect(ids[0]).not.toBe(ids[1]);
    expect((await first.client.listTools()).tools.length).toBe(5);
    const result = await call(second.client, 'search_events', { limit: 4 });
    const direct = await fixture.core.events.search({ page_size: 4 });
    expect((result.structuredContent as { items: { _id: string }[] }).items.map((e) => e._id)).toEqual(
      direct.items.map((e) => e._id),
    );
  });

  it('does not let another caller use a session id', async () => {
    const mcp = handler();
    const { client, transport } = await streamableClient(mcp, alice);
    const stolen = await mcp.fetch(listRequest(transport.sessionId), bob);
    expect(stolen.status).toBe(404);
    const anonymous = await mcp.fetch(listRequest(transport.sessionId), { identity: undefined });
    expect(anonymous.status).toBe(404);
    expect((await client.listTools()).tools.length).toBe(5);
  });

  it('refuses requests without a session, and unknown sessions', async () => {
    const mcp = handler();
    expect((await mcp.fetch(listRequest(), alice)).status).toBe(400);
    expect((await mcp.fetch(listRequest('x'.repeat(43)), alice)).status).toBe(404);
    expect((await mcp.fetch(new Request(`${BASE}/mcp`), alice)).status).toBe(400);
  });

  it('ends a session on DELETE and on shutdown', async () => {
    const mcp = handler();
    const one = await streamableClient(mcp, alice);
    const id = one.transport.sessionId!;
    await one.transport.terminateSession();
    expect((await mcp.fetch(listRequest(id), alice)).status).toBe(404);
    const two = await streamableClient(mcp, alice);
    await mcp.close();
    expect((await mcp.fetch(listRequest(two.transport.sessionId), alice)).status).toBe(404);
  });

  it('closes the least recently used session of a caller beyond the per-caller limit', async () => {
    const mcp = handler({ sessions: { perOwner: 2 } });
    const a = await streamableClient(mcp, alice);
    await streamableClient(mcp, alice);
    await streamableClient(mcp, alice);
    const b = await streamableClient(mcp, bob);
    expect((await mcp.fetch(listRequest(a.transport.sessionId), alice)).status).toBe(404);
    expect((await b.client.listTools()).tools.length).toBe(5);
  });
});

describe('Streamable HTTP, stateless', () => {
  it('answers every request with a fresh server and issues no session id', async () => {
    const mcp = handler({ stateless: true });
    const { client, transport } = await streamableClient(mcp, alice);
    expect(transport.sessionId).toBeUndefined();
    expect((await client.listTools()).tools.length).toBe(5);
    expect((await call(client, 'get_source_health')).isError).toBeFalsy();
    // Any replica can answer: a bare tools/list without initialize works.
    const res = await mcp.fetch(listRequest(), bob);
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(((await res.json()) as { result: { tools: unknown[] } }).result.tools.length).toBe(5);
    expect((await mcp.fetch(new Request(`${BASE}/mcp`), alice)).status).toBe(405);
    expect((await mcp.fetch(new Request(`${BASE}/mcp/sse`), alice)).status).toBe(404);
  });
});

describe('legacy HTTP+SSE', () => {
  it('serves the tools over an event stream and POSTed messages', async () => {
    const mcp = handler();
    const { client } = await sseClient(mcp, alice);
    expect((await client.listTools()).tools.length).toBe(5);
    const result = await call(client, 'search_events', { source: 'directory', limit: 3 });
    const direct = await fixture.core.events.search({ source: 'directory', page_size: 3 });
    expect((result.structuredContent as { items: { _id: string }[] }).items.map((e) => e._id)).toEqual(
      direct.items.map((e) => e._id),
    );
    const bad = await call(client, 'get_event', { id: 'nope' });
    expect(bad.isError).toBe(true);
    expect((await client.listTools()).tools.length).toBe(5);
  });

  it('binds the message endpoint to the caller that opened the stream', async () => {
    const mcp = handler();
    const res = await mcp.fetch(new Request(`${BASE}/mcp/sse`), alice);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    const endpoint = /data: (\S+)/.exec(new TextDecoder().decode(value))![1]!;
    expect(endpoint).toMatch(/^\/mcp\/messages\?sessionId=[A-Za-z0-9_-]{43}$/);
    const message = (caller: McpCaller) =>
      mcp.fetch(
        new Request(`${BASE}${endpoint}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
        }),
        caller,
      );
    expect((await message(bob)).status).toBe(404);
    expect((await message(alice)).status).toBe(202);
    const malformed = await mcp.fetch(
      new Request(`${BASE}${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      }),
      alice,
    );
    expect(malformed.status).toBe(400);
    await reader.cancel();
    expect((await message(alice)).status).toBe(404);
  });
});

describe('Origin checks', () => {
  it('refuses browser origins that are not allowed, on every transport', async () => {
    const mcp = handler();
    const evil = { origin: 'http://evil.example:8000', host: 'evil.example:8000' };
    expect((await mcp.fetch(listRequest(undefined, evil), alice)).status).toBe(403);
    expect((await mcp.fetch(new Request(`${BASE}/mcp/sse`, { headers: evil }), alice)).status).toBe(403);
    expect(
      (
        await mcp.fetch(
          new Request(`${BASE}/mcp/messages?sessionId=x`, { method: 'POST', headers: evil }),
          alice,
        )
      ).status,
    ).toBe(403);
  });

  it('lets configured origins and loopback pages on a loopback server through', async () => {
    const mcp = handler();
    const configured = await mcp.fetch(
      listRequest(undefined, { origin: 'https://inspector.example' }),
      alice,
    );
    expect(configured.status).toBe(400); // past the Origin check: no session yet
    const local = await mcp.fetch(listRequest(undefined, { origin: 'http://localhost:6274' }), alice);
    expect(local.status).toBe(400);
  });

  it('allows the same origin only when the host says so (auth on), judged by the public origin', async () => {
    const page = { origin: 'https://aoc.contoso.com' };
    const direct = () => listRequest(undefined, page, 'https://aoc.contoso.com');
    const closed = handler();
    expect((await closed.fetch(direct(), alice)).status).toBe(403);
    const open = handler({ origins: { allowedOrigins: [], allowSameOrigin: true } });
    expect((await open.fetch(direct(), alice)).status).toBe(400);
    // Behind a TLS-terminating proxy the app sees its internal URL; the forwarded headers name the public one.
    const forwarded = { ...page, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'aoc.contoso.com' };
    expect((await open.fetch(listRequest(undefined, forwarded, 'http://10.0.0.7:8000'), alice)).status).toBe(
      403,
    );
    const proxied = handler({ origins: { allowedOrigins: [], allowSameOrigin: true }, trustProxy: true });
    expect(
      (await proxied.fetch(listRequest(undefined, forwarded, 'http://10.0.0.7:8000'), alice)).status,
    ).toBe(400);
  });
});

describe('ask budget', () => {
  it('refuses questions beyond the per-caller budget as tool errors, across that caller’s sessions only', async () => {
    const { createCore } = await import('@aoc/core');
    const aiCore = await createCore(
      { ...fixture.core.config, ai: { ...fixture.core.config.ai, enabled: true, apiKey: undefined } },
      { log: fixture.core.log, mongoClient: database.client },
    );
    try {
      const mcp = createMcpHttpHandler(aiCore, {
        origins: { allowedOrigins: [], allowSameOrigin: false },
        askPerMinute: 1,
      });
      handlers.push(mcp);
      const question = { question: 'what happened yesterday?' };
      const first = await streamableClient(mcp, alice);
      expect((await call(first.client, 'ask', question)).isError).toBeFalsy();
      const second = await streamableClient(mcp, alice);
      const refused = await call(second.client, 'ask', question);
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/At most 1 questions a minute/);
      const other = await streamableClient(mcp, bob);
      expect((await call(other.client, 'ask', question)).isError).toBeFalsy();
    } finally {
      await aiCore.close();
    }
  });
});

describe('protected-resource metadata', () => {
  it('names the Entra tenant as authorization server when configured, and is absent otherwise', async () => {
    const settings = {
      loginBaseUrl: 'https://login.microsoftonline.com',
      tenantId: 'contoso.com',
      clientId: 'app-1',
    };
    const mcp = handler({ resourceMetadata: settings });
    const res = await mcp.fetch(new Request(`${BASE}/.well-known/oauth-protected-resource/mcp`), {
      identity: undefined,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: `${BASE}/mcp`,
      authorization_servers: ['https://login.microsoftonline.com/contoso.com/v2.0'],
      scopes_supported: ['api://app-1/.default'],
      bearer_methods_supported: ['header'],
      resource_name: expect.any(String),
    });
    const root = await mcp.fetch(new Request(`${BASE}/.well-known/oauth-protected-resource`), {
      identity: undefined,
    });
    expect(((await root.json()) as { resource: string }).resource).toBe(BASE);
    const none = handler();
    expect(
      (await none.fetch(new Request(`${BASE}/.well-known/oauth-protected-resource`), alice)).status,
    ).toBe(404);
  });
});
