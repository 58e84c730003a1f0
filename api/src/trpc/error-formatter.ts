import type { TRPCError, TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { ErrorCode } from '@aoc/core';
import { mapError } from '../middleware/error-response.js';
import type { MappedError } from '../middleware/error-response.js';

const TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  UPSTREAM: 'BAD_GATEWAY',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  CONFIG: 'INTERNAL_SERVER_ERROR',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

const FROM_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: 'VALIDATION',
  BAD_REQUEST: 'VALIDATION',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'VALIDATION',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

/** The AOC error a tRPC error stands for: its cause when we threw it, else tRPC's own code (unknown procedure, bad JSON). */
function mapTrpcError(error: TRPCError, requestId: string | undefined): MappedError {
  if (error.cause !== undefined) {
    const mapped = mapError(error.cause, requestId);
    if (!mapped.unexpected) return mapped;
  }
  const own = FROM_TRPC[error.code];
  if (own) {
    return {
      status: getHTTPStatusCodeFromError(error),
      body: { error: { code: own, message: error.message } },
      unexpected: false,
    };
  }
  return mapError(error.cause ?? error, requestId);
}

/** The parts of tRPC's error shape we rewrite. */
export interface AocErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  /** The same code REST answers with (`VALIDATION`, `NOT_FOUND`, …). */
  appCode: ErrorCode;
  details?: unknown;
  path?: string;
}

/**
 * tRPC's single error mapper: the same codes, statuses and messages as REST (by way of `mapError`), never a
 * stack or an internal message.
 */
export function formatTrpcError(
  error: TRPCError,
  path: string | undefined,
  requestId: string | undefined,
): { message: string; code: number; data: AocErrorData; unexpected: boolean } {
  const mapped = mapTrpcError(error, requestId);
  const appCode = mapped.body.error.code;
  const trpcCode = TRPC_CODE[appCode];
  const data: AocErrorData = { code: trpcCode, httpStatus: mapped.status, appCode };
  if (mapped.body.error.details !== undefined) data.details = mapped.body.error.details;
  if (path !== undefined) data.path = path;
  return {
    message: mapped.body.error.message,
    code: TRPC_ERROR_CODES_BY_KEY[trpcCode],
    data,
    unexpected: mapped.unexpected,
  };
}
