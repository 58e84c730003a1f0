import type { CoreContext } from '../context.js';
import { dedupeEvents } from './dedupe.js';
import type { DedupeOptions, DedupeResult } from './dedupe.js';
import { renormalizeEvents } from './renormalize.js';
import type { RenormalizeOptions, RenormalizeResult } from './renormalize.js';

/** `core.maintenance`: the long-running repairs behind `aoc renormalize` and `aoc dedupe`. */
export interface MaintenanceApi {
  /** Re-run normalization over stored raw records, keeping analyst data (see `renormalizeEvents`). */
  renormalize(options?: RenormalizeOptions): Promise<RenormalizeResult>;
  /** Remove duplicate documents per `dedupe_key`, keeping the richest copy (see `dedupeEvents`). */
  dedupe(options?: DedupeOptions): Promise<DedupeResult>;
}

/** Build `core.maintenance` over a context. */
export function createMaintenance(ctx: CoreContext): MaintenanceApi {
  return {
    renormalize: (options) => renormalizeEvents(ctx, options),
    dedupe: (options) => dedupeEvents(ctx, options),
  };
}
