import { isAppError } from '../errors.js';
import { httpFailure } from '../http/index.js';
import type { FailureKind } from './source-health.js';
import { SourceFailure } from './source-failure.js';

/**
 * What kind of failure stopped a source. The login endpoint refusing the app (400/401: wrong or expired
 * secret, unknown app or tenant) and resource servers refusing it (401/403 other than throttling) are
 * credential problems the operator must fix; the rest is Microsoft being unavailable or our own bug.
 */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof SourceFailure) return error.kind;
  const failure = httpFailure(error);
  if (failure) {
    if (failure.source === 'login' && (failure.status === 400 || failure.status === 401))
      return 'credentials';
    if (failure.status === 401 || (failure.status === 403 && failure.msCode !== 'AF429'))
      return 'credentials';
    return 'upstream';
  }
  return isAppError(error) ? 'upstream' : 'internal';
}
