import { request } from 'node:http';

/** What one probe request got back. */
export interface ProbeAnswer {
  status: number;
  contentType: string;
  /** The body as text; empty for event streams, which never end on their own and are cancelled unread. */
  body: string;
  ms: number;
}

/** Longest any single answer may take before the suite calls it a hang. */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface ProbeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Longest wait for the answer (default REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * Send one request on a connection of its own (so a connection the server closes after refusing a body cannot
 * fail the next probe) with a hard timeout. No answer in time, or none at all, rejects with a message naming
 * the request, so a hang or a dropped connection fails the property like any wrong answer does.
 */
export function probe(url: string, init: ProbeRequest = {}): Promise<ProbeAnswer> {
  const method = init.method ?? 'GET';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      {
        method,
        // Node frames bodies of GET/DELETE only with an explicit length (no chunked encoding by default there).
        headers: {
          ...init.headers,
          connection: 'close',
          ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }),
        },
        agent: false,
        signal: AbortSignal.timeout(init.timeoutMs ?? REQUEST_TIMEOUT_MS),
      },
      (res) => {
        answered = true;
        const contentType = res.headers['content-type'] ?? '';
        const done = (body: string) =>
          resolve({ status: res.statusCode ?? 0, contentType, body, ms: performance.now() - started });
        if (contentType.startsWith('text/event-stream')) {
          res.destroy();
          done('');
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.on('error', (error) => reject(error));
      },
    );
    req.on('error', (error) => {
      // A server may answer (413, 400) before reading a large body and close: the write then fails, the answer stands.
      if (answered) return;
      reject(
        new Error(`${method} ${url.slice(0, 300)} got no answer (${error.name}: ${error.message})`, {
          cause: error,
        }),
      );
    });
    req.end(init.body);
  });
}

/**
 * Why an answer breaks the hardening contract, or undefined when it keeps it: never a 5xx, and every 4xx a
 * JSON body carrying an `error` (REST `{error:{code,message}}`, tRPC `{error}` or a batch of them, JSON-RPC
 * `{error}` from MCP).
 */
export function contractBreach(answer: ProbeAnswer): string | undefined {
  if (answer.status >= 500) return `server error ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  // Node's HTTP parser refuses oversized request heads (a URL past 16 KiB) before any app code runs.
  if (answer.status === 431 && answer.body === '') return undefined;
  if (!/json/.test(answer.contentType)) {
    return `${answer.status} without a JSON error (content-type "${answer.contentType}"): ${answer.body.slice(0, 200)}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const hasError = items.some(
    (item) => item !== null && typeof item === 'object' && 'error' in (item as Record<string, unknown>),
  );
  return hasError ? undefined : `${answer.status} JSON without an "error": ${answer.body.slice(0, 200)}`;
}

/** A one-line figure every hardening suite prints at its end, so CI logs show what was tried. */
export function printFigure(suite: string, figures: Record<string, number | string>): void {
  const text = Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  // eslint-disable-next-line no-console -- the figure is the suite's output in CI logs
  console.log(`[hardening] ${suite}: ${text}`);
}
