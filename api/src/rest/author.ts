import type { AppContext } from '../app-env.js';

/**
 * Who a comment is recorded as: the signed-in caller when auth is on (a body `author` cannot impersonate
 * anyone), else what the client sent, else "anonymous".
 */
export function authorOf(c: AppContext, claimed: unknown): unknown {
  const identity = c.get('identity');
  if (identity) return identity.name;
  if (claimed === undefined || claimed === null || claimed === '') return 'anonymous';
  return claimed;
}
