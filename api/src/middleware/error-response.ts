import { HTTPException } from 'hono/http-exception';
import { HTTP_STATUS, isAppError } from '@aoc/core';
import type { ErrorCode } from '@aoc/core';

/** The JSON body of every error answer: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the cause is ours to fix (a 5xx we did not expect): log it with its stack. */
  unexpected: boolean;
}

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
}

function zodIssues(error: unknown): ZodLikeIssue[] | undefined {
  if (!(error instanceof Error) || error.name !== 'ZodError') return undefined;
  const issues = (error as Error & { issues?: unknown }).issues;
  return Array.isArray(issues) ? (issues as ZodLikeIssue[]) : undefined;
}

/** A field path as a caller writes it: `filters.start`, `tags[2]`. */
export function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name === '' ? String(part) : `.${String(part)}`;
  }
  return name === '' ? '(input)' : name;
}

/** A validation error's message naming each bad field, and its details as `[{ field, message }]`. */
export function describeIssues(issues: readonly ZodLikeIssue[]): { message: string; details: unknown } {
  const details = issues.map((issue) => ({ field: fieldName(issue.path), message: issue.message }));
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return { message: `Invalid input: ${message}`, details };
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * The one mapping from a thrown value to an HTTP answer, shared by REST (`app.onError`) and tRPC's error
 * formatter so both surfaces report the same codes. AppErrors keep their code and message; zod errors become
 * 400 naming the field; malformed JSON becomes 400; anything else becomes a 500 that says nothing about
 * internals (the request id ties it to the log line).
 */
export function mapError(error: unknown, requestId: string | undefined): MappedError {
  if (isAppError(error)) {
    const status = HTTP_STATUS[error.code];
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    if (status >= 500) {
      // Upstream/unavailable messages are written for clients; internal/config ones may carry internals.
      const safe = error.code === 'UPSTREAM' || error.code === 'UNAVAILABLE';
      if (!safe) return internal(requestId);
    }
    return { status, body, unexpected: false };
  }
  const issues = zodIssues(error);
  if (issues) {
    const { message, details } = describeIssues(issues);
    return { status: 400, body: { error: { code: 'VALIDATION', message, details } }, unexpected: false };
  }
  if (error instanceof SyntaxError) {
    return {
      status: 400,
      body: { error: { code: 'VALIDATION', message: 'Malformed JSON body' } },
      unexpected: false,
    };
  }
  if (error instanceof HTTPException) {
    const code = STATUS_CODES[error.status];
    if (code)
      return {
        status: error.status,
        body: { error: { code, message: error.message || code } },
        unexpected: false,
      };
  }
  if (error instanceof Error && DATABASE_UNREACHABLE.has(error.name)) {
    // The database being down is an outage to wait out, not a bug: 503 like /health, not a 500.
    return {
      status: 503,
      body: { error: { code: 'UNAVAILABLE', message: 'The database is unavailable; try again shortly' } },
      unexpected: false,
    };
  }
  return internal(requestId);
}

/** The driver's errors for a MongoDB it cannot reach (matched by name, like every error here). */
const DATABASE_UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  // Raised in the instant the heartbeat watchdog reconnects the client (core/src/store/heartbeat-watchdog.ts).
  'MongoNotConnectedError',
]);

function internal(requestId: string | undefined): MappedError {
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL',
        message: 'Internal server error',
        ...(requestId === undefined ? {} : { details: { request_id: requestId } }),
      },
    },
    unexpected: true,
  };
}
