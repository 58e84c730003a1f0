/** A request as the routes see it: already read, so `$batch` can hand sub-requests to the same routes. */
export interface SimRequest {
  method: string;
  url: URL;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string. */
  body?: unknown;
}

export type Route = (req: SimRequest) => SimResponse | undefined | Promise<SimResponse | undefined>;

export const GRAPH_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
export const PLAIN_JSON = 'application/json; charset=utf-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': PLAIN_JSON, ...headers }, body };
}

/** What parseJsonBody returns for a body that is not JSON. */
export const INVALID_JSON = Symbol('invalid-json');

/** The JSON body; undefined when empty, INVALID_JSON when it does not parse. */
export function parseJsonBody(req: SimRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Service = 'login' | 'graph' | 'management' | 'other';

/** Which simulated service a path belongs to, for error bodies in that service's dialect. */
export function serviceOf(pathname: string): Service {
  if (/\/oauth2\/(v2\.0\/)?token$/.test(pathname)) return 'login';
  if (pathname.startsWith('/api/v1.0/')) return 'management';
  if (pathname.startsWith('/v1.0/') || pathname.startsWith('/beta/')) return 'graph';
  return 'other';
}
