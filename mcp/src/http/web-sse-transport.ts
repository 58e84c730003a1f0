import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcError } from './responses.js';

const KEEP_ALIVE_MS = 15_000;
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * The legacy HTTP+SSE server transport (protocol 2024-11-05) over web streams: the GET that opens the session
 * receives `response` (an event stream that first names the endpoint to POST to), and each POST to that
 * endpoint is handed to `handlePost`. The SDK's own `SSEServerTransport` writes to Node's `ServerResponse`;
 * this one needs only `Request`/`Response`, so the app stays runtime-neutral.
 */
export class WebSseServerTransport implements Transport {
  readonly sessionId: string;
  readonly response: Response;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  readonly #endpoint: string;
  readonly #encoder = new TextEncoder();
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  /** `endpoint`: the path clients POST messages to; the session id is appended as `sessionId`. */
  constructor(endpoint: string, sessionId: string) {
    this.sessionId = sessionId;
    this.#endpoint = `${endpoint}?sessionId=${encodeURIComponent(sessionId)}`;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      // The client went away: the session ends with its stream.
      cancel: () => {
        void this.close();
      },
    });
    this.response = new Response(stream, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Reverse proxies (nginx) would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      },
    });
  }

  #write(chunk: string): boolean {
    if (this.#closed || !this.#controller) return false;
    try {
      this.#controller.enqueue(this.#encoder.encode(chunk));
      return true;
    } catch {
      void this.close();
      return false;
    }
  }

  start(): Promise<void> {
    this.#write(`event: endpoint\ndata: ${this.#endpoint}\n\n`);
    this.#keepAlive = setInterval(() => this.#write(': keepalive\n\n'), KEEP_ALIVE_MS);
    this.#keepAlive.unref?.();
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (!this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`)) {
      return Promise.reject(new Error('Not connected'));
    }
    return Promise.resolve();
  }

  /** Accept one client message posted to the endpoint: 202 once handed to the server, 400 when malformed. */
  async handlePost(request: Request): Promise<Response> {
    if (this.#closed) return jsonRpcError(404, 'Session not found');
    const type = request.headers.get('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) {
      return jsonRpcError(415, 'Unsupported Media Type: Content-Type must be application/json');
    }
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > MAX_MESSAGE_BYTES) return jsonRpcError(413, 'Message too large');
    let body: unknown;
    try {
      const text = await request.text();
      if (text.length > MAX_MESSAGE_BYTES) return jsonRpcError(413, 'Message too large');
      body = JSON.parse(text);
    } catch (error) {
      this.onerror?.(error as Error);
      return jsonRpcError(400, 'Parse error: the body is not JSON');
    }
    const parsed = JSONRPCMessageSchema.safeParse(body);
    if (!parsed.success) {
      this.onerror?.(new Error('Invalid JSON-RPC message'));
      return jsonRpcError(400, 'Invalid JSON-RPC message');
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      if (key !== 'authorization' && key !== 'cookie') headers[key] = value;
    });
    this.onmessage?.(parsed.data, { requestInfo: { headers, url: new URL(request.url) } });
    return new Response('Accepted', { status: 202 });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    clearInterval(this.#keepAlive);
    try {
      this.#controller?.close();
    } catch {
      // Already closed or cancelled by the client.
    }
    this.onclose?.();
    return Promise.resolve();
  }
}
