/**
 * The one error family of AOC. Core throws these; each surface (Hono, tRPC, MCP) maps them once, by `code`
 * rather than `instanceof`, because duplicated package copies break `instanceof`.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UPSTREAM',
  'UNAVAILABLE',
  'CONFIG',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(message: string, options?: AppErrorOptions) {
    super('VALIDATION', message, options);
  }
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  constructor(message: string, options?: AppErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  constructor(message: string, options?: AppErrorOptions) {
    super('CONFLICT', message, options);
  }
}

export class UpstreamError extends AppError {
  override readonly name = 'UpstreamError';
  constructor(message: string, options?: AppErrorOptions) {
    super('UPSTREAM', message, options);
  }
}

export class UnavailableError extends AppError {
  override readonly name = 'UnavailableError';
  constructor(message: string, options?: AppErrorOptions) {
    super('UNAVAILABLE', message, options);
  }
}

export class ConfigError extends AppError {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: AppErrorOptions) {
    super('CONFIG', message, options);
  }
}

/** True for any AppError, also one thrown by another copy of this package. */
export function isAppError(error: unknown): error is AppError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** The HTTP status every surface uses for a code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CONFIG: 500,
  UPSTREAM: 502,
  UNAVAILABLE: 503,
};
