/** What the console tells a user about a failed call. */
export interface ErrorView {
  message: string;
  /** HTTP status when the failure came from the API. */
  status?: number;
  /** The API refused the signed-in user: show the "no access" page rather than a retry. */
  forbidden: boolean;
  /** The API wants a (new) sign-in. */
  unauthorized: boolean;
  /** The request was cancelled on purpose (a newer one replaced it); never shown. */
  aborted: boolean;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  data?: { httpStatus?: unknown; code?: unknown } | null;
  cause?: unknown;
}

function statusOf(error: ErrorLike): number | undefined {
  if (typeof error.data?.httpStatus === 'number') return error.data.httpStatus;
  if (typeof error.status === 'number') return error.status;
  return undefined;
}

function isAbort(error: ErrorLike): boolean {
  if (error.name === 'AbortError') return true;
  const cause = error.cause as ErrorLike | undefined;
  return cause !== undefined && cause !== null && typeof cause === 'object' && cause.name === 'AbortError';
}

/**
 * Turns anything thrown by a tRPC or fetch call into what the UI needs: a readable message and whether the
 * failure means "no access", "sign in again" or "cancelled by a newer request".
 */
export function describeError(error: unknown): ErrorView {
  if (error === null || typeof error !== 'object') {
    return { message: String(error), forbidden: false, unauthorized: false, aborted: false };
  }
  const e = error as ErrorLike;
  const status = statusOf(e);
  const code = typeof e.data?.code === 'string' ? e.data.code : undefined;
  const raw = typeof e.message === 'string' && e.message !== '' ? e.message : 'Unknown error';
  const message = raw === 'Failed to fetch' ? 'The server could not be reached.' : raw;
  const view: ErrorView = {
    message,
    forbidden: status === 403 || code === 'FORBIDDEN',
    unauthorized: status === 401 || code === 'UNAUTHORIZED',
    aborted: isAbort(e),
  };
  if (status !== undefined) view.status = status;
  return view;
}
