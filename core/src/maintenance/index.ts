export { createMaintenance, type MaintenanceApi } from './create-maintenance.js';
export { dedupeEvents, type DedupeOptions, type DedupeResult } from './dedupe.js';
export { renormalizeEvents, type RenormalizeOptions, type RenormalizeResult } from './renormalize.js';
export type { ProgressCallback } from './progress.js';
