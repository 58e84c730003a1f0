import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultReply, type ChatRequest, type Reply } from './answer.js';
import { completionBody, completionChunks, limitReply, usageOf, type CompletionMeta } from './completion.js';
import { openAiError } from './errors.js';
import { parseJson, readBody, send, wait } from './http.js';
import { refuseRoute, type ApiForm } from './refuse-route.js';
import { validateChatBody } from './validate.js';
import { findEventIds, type ChatMessage } from './prompt.js';
import { createScript, type LlmStep } from './script.js';

/** Options of {@link startLlmSim}. */
export interface LlmSimOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** The key expected as `Authorization: Bearer …` (OpenAI form) or `api-key` (Azure form). */
  apiKey?: string;
  /** Azure deployment names that exist; absent means any name is accepted. */
  deployments?: string[];
}

/** One request as the simulator received it, recorded before authentication so tests see everything sent. */
export interface RecordedLlmRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  form: ApiForm;
  deployment?: string;
  apiVersion?: string;
  /** Every request header, lower-cased names. */
  headers: Record<string, string>;
  /** The credential presented: the bearer token (OpenAI form) or the `api-key` header (Azure form). */
  apiKey?: string;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** Event ids found in the body's messages (JSON `_id`/`id` fields and `[event:<id>]` markers), deduplicated. */
  eventIds: string[];
}

/** A running LLM simulator. */
export interface LlmSim {
  /** OpenAI base URL, e.g. `http://127.0.0.1:1234/v1`. */
  url: string;
  /** Azure OpenAI endpoint origin; requests go to `/openai/deployments/{name}/chat/completions?api-version=…`. */
  azureUrl: string;
  apiKey: string;
  /** Every request received since start or the last {@link LlmSim.reset}, oldest first (a live array). */
  requests: RecordedLlmRequest[];
  /** Sets the per-request behavior: each request takes the next step, the last one stays; no steps = default. */
  script(...steps: LlmStep[]): void;
  /** Forgets recorded requests and the script. */
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_KEY = 'sim-llm-key';
const AZURE_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

/**
 * Starts an OpenAI-compatible chat completions server on 127.0.0.1 (OpenAI and Azure OpenAI URL forms, JSON
 * and SSE answers, JSON mode, tool calls), answering deterministically from the prompt unless scripted.
 */
export async function startLlmSim(options: LlmSimOptions = {}): Promise<LlmSim> {
  const apiKey = options.apiKey ?? DEFAULT_KEY;
  const requests: RecordedLlmRequest[] = [];
  const script = createScript();
  let served = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, openAiError(500, { message: String(error) }));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const azureMatch = AZURE_PATH.exec(url.pathname);
    const form = url.pathname === '/v1/chat/completions' ? 'openai' : azureMatch ? 'azure' : 'unknown';
    const raw = await readBody(req);
    const body = parseJson(raw);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : (value ?? ''),
      ]),
    );
    const presented =
      form === 'azure' ? headers['api-key'] : /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
    const deployment = azureMatch?.[1] === undefined ? undefined : decodeURIComponent(azureMatch[1]);
    const apiVersion = url.searchParams.get('api-version') ?? undefined;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      form,
      ...(deployment === undefined ? {} : { deployment }),
      ...(apiVersion === undefined ? {} : { apiVersion }),
      headers,
      ...(presented === undefined ? {} : { apiKey: presented }),
      body: body === undefined ? raw : body,
      eventIds: findEventIds(messagesOf(body)),
    });

    const refusal = refuseRoute({
      form,
      method: req.method,
      path: url.pathname,
      apiVersion,
      deployment,
      presented,
      apiKey,
      deployments: options.deployments,
    });
    if (refusal !== undefined) return send(res, refusal.status, refusal.body);

    const invalid = validateChatBody(body);
    if (invalid !== undefined) return send(res, 400, invalid);
    const request = body as ChatRequest;

    const step = script.next();
    if (step.delayMs !== undefined && !(await wait(step.delayMs, res))) return;
    if (step.reset) {
      req.socket.destroy();
      return;
    }
    if (step.status !== undefined && step.status >= 400) {
      return send(res, step.status, openAiError(step.status, step.error), step.headers);
    }
    served += 1;
    const meta: CompletionMeta = {
      id: `chatcmpl-sim-${served}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model ?? deployment ?? 'gpt-4o-mini',
    };
    const reply = limitReply(
      scriptedReply(step) ?? defaultReply(request),
      request.max_completion_tokens ?? request.max_tokens,
    );
    const usage = usageOf(request, reply);
    if (request.stream === true) {
      const wantsUsage = request.stream_options?.include_usage === true;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        ...step.headers,
      });
      for (const chunk of completionChunks(meta, reply, wantsUsage ? usage : undefined)) {
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    send(res, 200, completionBody(meta, reply, usage), step.headers);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    azureUrl: origin,
    apiKey,
    requests,
    script: (...steps) => script.set(steps),
    reset: () => {
      requests.length = 0;
      script.set([]);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function messagesOf(body: unknown): ChatMessage[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages)
    ? messages.filter((m): m is ChatMessage => typeof m === 'object' && m !== null)
    : [];
}

function scriptedReply(step: LlmStep): Reply | undefined {
  if (step.toolCalls !== undefined) {
    return {
      content: null,
      toolCalls: step.toolCalls.map((call, index) => ({
        id: `call_sim_scripted_${index}`,
        name: call.name,
        arguments: JSON.stringify(call.arguments),
      })),
      finishReason: 'tool_calls',
    };
  }
  if (step.content !== undefined) return { content: step.content, toolCalls: [], finishReason: 'stop' };
  return undefined;
}
