export { createSiem, siemAllowedHosts, type SiemApi, type OutboundDeps } from './create-siem.js';
export { createIngestHook } from './ingest-hook.js';
export { withSiemHealth } from './siem-health.js';
export type { ForwarderOptions, ForwarderStats } from './forwarder.js';
export type { DeliveryOptions } from './delivery-policy.js';
export type { SiemBatch, SiemItem } from './payload.js';
