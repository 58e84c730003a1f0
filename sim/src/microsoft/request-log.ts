import type { SimRequest } from './http.js';

/** One request as the sim saw it, with secrets taken out, for tests to assert on what a client sent. */
export interface LoggedRequest {
  at: string;
  /** Which listener received it. */
  service: 'login' | 'graph' | 'management';
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; `authorization` reduced to its scheme, cookies dropped. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the token form without `client_secret`. */
  body?: unknown;
  /** Response status; 0 when the connection was reset. */
  status: number;
  /** Set for `$batch` sub-requests: the id of the sub-request. */
  batchItem?: string;
}

const SECRET_FIELDS = new Set(['client_secret', 'client_assertion', 'password']);

export function logEntry(service: LoggedRequest['service'], req: SimRequest, at: Date): LoggedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = name === 'authorization' ? `${value.split(' ')[0] ?? ''} [redacted]` : value;
  }
  const entry: LoggedRequest = {
    at: at.toISOString(),
    service,
    method: req.method,
    path: req.url.pathname,
    query: Object.fromEntries(req.url.searchParams),
    headers,
    status: 0,
  };
  if (req.body.length > 0) {
    const text = req.body.toString('utf8');
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(text));
      for (const field of SECRET_FIELDS) if (field in form) form[field] = '[redacted]';
      entry.body = form;
    } else {
      try {
        entry.body = JSON.parse(text) as unknown;
      } catch {
        entry.body = text;
      }
    }
  }
  return entry;
}
