export { hostAllowed, normalizeHost, unusableHostPatterns } from './host-allowlist.js';
export { addressRefusal } from './address-policy.js';
export { OutboundRefusedError, type OutboundRefusal } from './outbound-error.js';
export {
  createOutboundGuard,
  type OutboundDeps,
  type OutboundGuard,
  type OutboundGuardOptions,
  type PinnedTarget,
} from './outbound-guard.js';
export { systemResolve, type ResolveHost, type ResolvedAddress } from './resolve-host.js';
