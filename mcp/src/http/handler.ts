import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Core, Logger } from '@aoc/core';
import { createMcpServer } from '../server.js';
import { createCallBudget } from './call-budget.js';
import { callerKey, newSessionId } from './caller.js';
import type { McpCaller } from './caller.js';
import { originAllowed } from './origin.js';
import type { OriginPolicy } from './origin.js';
import { publicOrigin } from './public-origin.js';
import { METADATA_PATH, protectedResourceMetadata } from './resource-metadata.js';
import type { ResourceMetadataSettings } from './resource-metadata.js';
import { jsonRpcError } from './responses.js';
import { SessionRegistry } from './session-registry.js';
import type { SessionRegistryOptions } from './session-registry.js';
import { WebSseServerTransport } from './web-sse-transport.js';

export interface McpHttpOptions {
  /** Where the transports live: Streamable HTTP at `basePath`, legacy SSE at `basePath/sse` + `basePath/messages`. */
  basePath?: string;
  /**
   * Serve Streamable HTTP without sessions: every POST gets a fresh server and a JSON answer, so any replica
   * can answer any request (no sticky sessions). Legacy SSE, which is a session by nature, is then off.
   */
  stateless?: boolean;
  /** Which browser origins may call (DNS-rebinding protection). */
  origins: OriginPolicy;
  /** When auth is on: publish RFC 9728 metadata at `/.well-known/oauth-protected-resource[/mcp]`. */
  resourceMetadata?: ResourceMetadataSettings;
  /** Behind a trusted reverse proxy: public URLs come from `X-Forwarded-Proto`/`-Host`. */
  trustProxy?: boolean;
  sessions?: SessionRegistryOptions;
  /** `ask` calls per caller per minute, across their sessions (default 20, like the REST API's). */
  askPerMinute?: number;
  version?: string;
  log?: Logger;
}

/**
 * MCP over HTTP as one transport-neutral handler (web `Request` in, `Response` out), for any host that has
 * authenticated the caller. Structurally the API's `McpHttpMount`.
 */
export interface McpHttpHandler {
  /**
   * Answer a request under `basePath` (or the protected-resource metadata path). `caller` is who the host
   * authenticated; every session is bound to it, and another caller presenting its id gets 404.
   */
  fetch(request: Request, caller: McpCaller): Promise<Response>;
  /** Close every session and stream (graceful shutdown). */
  close(): Promise<void>;
}

/**
 * Build the HTTP handler over `core`: Streamable HTTP (stateful with unguessable session ids, or stateless),
 * the legacy HTTP+SSE transport over web streams, Origin checks, and the protected-resource metadata. One
 * `McpServer` per session. No side effects until requests arrive.
 */
export function createMcpHttpHandler(core: Core, options: McpHttpOptions): McpHttpHandler {
  const base = (options.basePath ?? '/mcp').replace(/\/+$/, '');
  const log = options.log ?? core.log;
  const askBudget = createCallBudget(options.askPerMinute ?? 20);
  const serverFor = (owner: string) =>
    createMcpServer(core, {
      log,
      beforeAsk: () => askBudget.take(owner),
      ...(options.version ? { version: options.version } : {}),
    });
  const streamable = new SessionRegistry<WebStandardStreamableHTTPServerTransport>(options.sessions);
  // An SSE session lasts as long as its stream: a client that went away cancels it (keep-alives find dead ones).
  const sse = new SessionRegistry<WebSseServerTransport>({
    ...options.sessions,
    idleMs: Number.POSITIVE_INFINITY,
  });
  const reportError = (error: Error) => log.debug({ err: error }, 'MCP transport error');
  const tooMany = () =>
    jsonRpcError(503, 'Too many open MCP sessions; try again later', { 'retry-after': '60' });

  async function statelessRequest(request: Request, owner: string): Promise<Response> {
    if (request.method !== 'POST') {
      return jsonRpcError(405, 'Method not allowed: this server is stateless, POST JSON-RPC messages', {
        allow: 'POST',
      });
    }
    const server = serverFor(owner);
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    transport.onerror = reportError;
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      await server.close();
    }
  }

  async function streamableRequest(request: Request, owner: string): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) {
      const session = streamable.get(sessionId, owner);
      if (!session) return jsonRpcError(404, 'Session not found');
      return session.handle.handleRequest(request);
    }
    if (request.method !== 'POST') return jsonRpcError(400, 'Bad Request: Mcp-Session-Id header is required');
    if (!streamable.hasRoom()) return tooMany();
    const server = serverFor(owner);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: newSessionId,
      onsessioninitialized: (id) =>
        streamable.add({ id, owner, handle: transport, close: () => server.close() }),
      onsessionclosed: (id) => streamable.remove(id),
    });
    transport.onerror = reportError;
    server.server.onclose = () => {
      if (transport.sessionId !== undefined) streamable.remove(transport.sessionId);
    };
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    // Anything but a successful initialize leaves no session behind.
    if (transport.sessionId === undefined) await server.close();
    return response;
  }

  async function openSse(request: Request, owner: string): Promise<Response> {
    if (request.method !== 'GET') return jsonRpcError(405, 'Method not allowed', { allow: 'GET' });
    if (!sse.hasRoom()) return tooMany();
    const id = newSessionId();
    const endpoint = new URL(request.url).pathname.replace(/\/sse$/, '/messages');
    const transport = new WebSseServerTransport(endpoint, id);
    const server = serverFor(owner);
    transport.onerror = reportError;
    server.server.onclose = () => sse.remove(id);
    sse.add({ id, owner, handle: transport, close: () => server.close() });
    await server.connect(transport);
    return transport.response;
  }

  function postSseMessage(request: Request, owner: string): Promise<Response> | Response {
    if (request.method !== 'POST') return jsonRpcError(405, 'Method not allowed', { allow: 'POST' });
    const id = new URL(request.url).searchParams.get('sessionId');
    const session = id === null ? undefined : sse.get(id, owner);
    if (!session) return jsonRpcError(404, 'Session not found');
    return session.handle.handlePost(request);
  }

  return {
    async fetch(request, caller) {
      const path = new URL(request.url).pathname;
      const origin = publicOrigin(request, options.trustProxy ?? false);
      if (path === METADATA_PATH || path.startsWith(`${METADATA_PATH}/`)) {
        if (!options.resourceMetadata || request.method !== 'GET') return jsonRpcError(404, 'Not found');
        return protectedResourceMetadata(origin, path.slice(METADATA_PATH.length), options.resourceMetadata);
      }
      if (!originAllowed(request, options.origins, origin)) {
        return jsonRpcError(403, 'Forbidden: this Origin may not call the MCP server');
      }
      const owner = callerKey(caller);
      if (path === base) {
        return options.stateless ? statelessRequest(request, owner) : streamableRequest(request, owner);
      }
      if (options.stateless)
        return jsonRpcError(404, 'The legacy SSE transport needs sessions: use Streamable HTTP');
      if (path === `${base}/sse`) return openSse(request, owner);
      if (path === `${base}/messages`) return postSseMessage(request, owner);
      return jsonRpcError(404, 'Not found');
    },
    async close() {
      await Promise.all([streamable.closeAll(), sse.closeAll()]);
    },
  };
}
