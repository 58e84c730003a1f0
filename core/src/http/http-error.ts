import { AppError } from '../errors.js';

/** What failed, without anything secret: the query string is left out because it may carry filters and ids. */
export interface HttpFailure {
  /** Which AOC source or client made the call (`directory`, `intune`, `unified`, `login`, `names`). */
  source: string;
  method: string;
  /** URL path only. */
  path: string;
  /** HTTP status, or undefined for a network error or timeout. */
  status: number | undefined;
  /** Microsoft's error code from the body (`AF20022`, `AADSTS7000222`, `Request_ResourceNotFound`, …). */
  msCode: string | undefined;
  /** How many attempts were made before giving up. */
  attempts: number;
}

/**
 * An outbound call that failed for good. The message names the source, method, URL path and status (or the
 * network cause), and Microsoft's error code and message when the body had one; never a token or secret.
 */
export class HttpError extends AppError {
  override readonly name: string = 'HttpError';
  readonly failure: HttpFailure;

  constructor(failure: HttpFailure, reason: string, options: { cause?: unknown } = {}) {
    const status = failure.status === undefined ? 'network error' : `HTTP ${failure.status}`;
    const attempts = failure.attempts > 1 ? ` after ${failure.attempts} attempts` : '';
    super(
      'UPSTREAM',
      `${failure.source}: ${failure.method} ${failure.path} failed (${status}${attempts}): ${reason}`,
      {
        details: failure,
        cause: options.cause,
      },
    );
    this.failure = failure;
  }
}

/** The Microsoft error code carried by an error, if it is an HttpError (also from another package copy). */
export function msErrorCode(error: unknown): string | undefined {
  return httpFailure(error)?.msCode;
}

/** The HttpFailure of an error, if it is an HttpError (duck-typed: `instanceof` breaks across copies). */
export function httpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || error.name !== 'HttpError') return undefined;
  return (error as HttpError).failure;
}
