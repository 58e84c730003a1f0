import type { AuditRecord } from './records/context.js';
import { SOURCE_NAMES, type SourceName } from './sources.js';
import { createWorld } from './world.js';

/**
 * Generated records for tests that need realistic payloads without a server: the first `perSource` records of
 * every source (`directoryAudits`, `intuneAuditEvents` and the five content types), deterministic for a seed,
 * with the real field names, shapes and quirks (numbers as strings, one-string Parameters, `<null>` names).
 */
export function exampleRecords(
  options: { seed?: number; perSource?: number; anchor?: Date } = {},
): Record<SourceName, AuditRecord[]> {
  const perSource = options.perSource ?? 50;
  const world = createWorld({
    seed: options.seed ?? 1,
    events: perSource * SOURCE_NAMES.length * 40,
    days: 7,
    anchorMs: (options.anchor ?? new Date('2026-01-15T12:00:00Z')).getTime(),
  });
  const out = {} as Record<SourceName, AuditRecord[]>;
  for (const source of SOURCE_NAMES) {
    const count = Math.min(perSource, world.streams[source].timeline.count);
    out[source] = Array.from({ length: count }, (_, seq) => world.record(source, seq));
  }
  return out;
}
