import { AppError } from '@aoc/core';
import type { VerifiedToken } from './verify-token.js';

export interface AccessPolicy {
  allowedRoles: readonly string[];
  allowedGroups: readonly string[];
}

/**
 * Whether a verified caller may use AOC: a role in `allowedRoles`, or a group in `allowedGroups`; with neither
 * list configured, every valid token of the tenant. A token whose groups overflowed into `_claim_names` is
 * refused unless a role grants access: resolving the overage would mean calling Graph (or a URL the token
 * names), and guessing would fail open.
 */
export function checkAccess(token: VerifiedToken, policy: AccessPolicy): void {
  const { roles, groups } = token.identity;
  if (policy.allowedRoles.length === 0 && policy.allowedGroups.length === 0) return;
  if (roles.some((role) => policy.allowedRoles.includes(role))) return;
  if (token.groupOverage && policy.allowedGroups.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      'Your group memberships are too many to be listed in the token; ask an administrator to assign you an app role',
    );
  }
  if (groups.some((group) => policy.allowedGroups.includes(group))) return;
  throw new AppError('FORBIDDEN', 'Your account has no role or group that grants access to AOC');
}
