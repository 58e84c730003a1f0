import { Agent, request } from 'node:http';

/** The console's and integrations' read traffic, by kind, with how often each comes up. */
export const REQUEST_MIX = [
  { kind: 'list', weight: 35 },
  { kind: 'search', weight: 20 },
  { kind: 'detail', weight: 20 },
  { kind: 'filter-options', weight: 15 },
  { kind: 'export', weight: 10 },
] as const;
export type RequestKind = (typeof REQUEST_MIX)[number]['kind'];

export interface LoadOptions {
  /** Base URL of the app; only loopback is accepted. */
  url: string;
  clients: number;
  durationMs: number;
  /** `_id`s to ask details of. */
  eventIds: readonly string[];
  /** Words to search for and values to filter on (from the data, so queries find something). */
  words: readonly string[];
  /** Seed of the request choice, so runs are comparable. */
  seed?: number;
  /** Per-request timeout (default 30 s); a request past it counts as an error. */
  timeoutMs?: number;
  /** Events per export request (default 500). */
  exportLimit?: number;
}

export interface LoadStats {
  requests: number;
  /** Answers with a 5xx status. */
  serverErrors: number;
  /** Requests that got no answer (connection errors, timeouts). */
  failures: number;
  /** Why requests got no answer: error code (or message), with how many. */
  failureReasons: Record<string, number>;
  byStatus: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  byKind: Record<string, { requests: number; p95: number }>;
  /** The `RateLimit-Limit` the app announced, by kind of request (only rate-limited routes announce one). */
  rateLimitByKind: Partial<Record<RequestKind, number>>;
  requestsPerSecond: number;
}

/** The value at percentile `p` (0..100) of ascending `sorted`; 0 when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32: deterministic and cheap; quality is irrelevant for choosing requests.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function pathFor(kind: RequestKind, random: () => number, options: LoadOptions): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const word = encodeURIComponent(pick(options.words));
  switch (kind) {
    case 'list':
      return random() < 0.5
        ? '/api/events?page_size=50'
        : `/api/events?page_size=50&source=${pick(['directory', 'intune', 'unified'])}`;
    case 'search':
      return `/api/events?page_size=50&search=${word}`;
    case 'detail':
      return `/api/events/${pick(options.eventIds)}`;
    case 'filter-options':
      return '/api/filter-options';
    case 'export':
      return `/api/events/export?format=${random() < 0.5 ? 'csv' : 'ndjson'}&limit=${options.exportLimit ?? 500}`;
  }
}

function chooseKind(random: () => number): RequestKind {
  const total = REQUEST_MIX.reduce((n, entry) => n + entry.weight, 0);
  let roll = random() * total;
  for (const entry of REQUEST_MIX) {
    roll -= entry.weight;
    if (roll < 0) return entry.kind;
  }
  return 'list';
}

function get(
  agent: Agent,
  url: string,
  timeoutMs: number,
): Promise<{ status: number; rateLimit: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      res.resume();
      const rateLimit = res.headers['ratelimit-limit'];
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rateLimit: Array.isArray(rateLimit) ? rateLimit[0] : rateLimit,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `clients` concurrent clients, each sending the next request of the mix as soon as the last one is answered,
 * for `durationMs`. Keep-alive connections, like a browser or an integration keeps. Refuses non-loopback URLs:
 * this is a test tool, never a way to load someone else's server.
 */
export async function runMixedLoad(options: LoadOptions): Promise<LoadStats> {
  const { hostname } = new URL(options.url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost' && hostname !== '[::1]') {
    throw new Error(`load runs against loopback only, not ${hostname}`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const random = seeded(options.seed ?? 42);
  const latencies: number[] = [];
  const byKind = new Map<RequestKind, number[]>();
  const byStatus: Record<string, number> = {};
  const rateLimitByKind: LoadStats['rateLimitByKind'] = {};
  let failures = 0;
  const failureReasons: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + options.durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const kind = chooseKind(random);
      const sent = performance.now();
      try {
        const { status, rateLimit } = await get(
          agent,
          `${options.url}${pathFor(kind, random, options)}`,
          options.timeoutMs ?? 30_000,
        );
        const ms = performance.now() - sent;
        latencies.push(ms);
        const list = byKind.get(kind) ?? [];
        list.push(ms);
        byKind.set(kind, list);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (rateLimit !== undefined) rateLimitByKind[kind] = Number(rateLimit);
      } catch (error) {
        failures += 1;
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const kinds: LoadStats['byKind'] = {};
  for (const [kind, list] of byKind) {
    kinds[kind] = {
      requests: list.length,
      p95: round(
        percentile(
          [...list].sort((a, b) => a - b),
          95,
        ),
      ),
    };
  }
  return {
    requests: latencies.length + failures,
    serverErrors: Object.entries(byStatus).reduce(
      (n, [status, count]) => n + (Number(status) >= 500 ? count : 0),
      0,
    ),
    failures,
    failureReasons,
    byStatus,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    byKind: kinds,
    rateLimitByKind,
    requestsPerSecond: round(latencies.length / elapsed),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
