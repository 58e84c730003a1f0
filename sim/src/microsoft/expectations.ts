import { RETENTION_MS, type Blob, type BlobIndex } from './blobs.js';
import type { Faults } from './faults.js';
import { CONTENT_TYPES, isContentType, SOURCE_NAMES, SOURCES, type SourceName } from './sources.js';
import type { World } from './world.js';

/** The dedupe-relevant ids (`id` on Graph, `Id` on Management records) of the given events. */
export function idsOf(world: World, source: SourceName, seqs: Iterable<number>): Set<string> {
  const out = new Set<string>();
  for (const seq of seqs) out.add(SOURCES[source].idOf(world.record(source, seq)));
  return out;
}

/** How many events each source holds, generated and added. */
export function countGenerated(world: World): { total: number; bySource: Record<SourceName, number> } {
  const bySource = {} as Record<SourceName, number>;
  let total = 0;
  for (const source of SOURCE_NAMES) {
    const s = world.streams[source];
    bySource[source] = s.timeline.count + s.extras.length;
    total += bySource[source];
  }
  return { total, bySource };
}

/**
 * What a complete fetch of each source must yield at `nowMs`: every Graph event, and the Management records of
 * blobs that are available and not expired (by age or by an injected fault).
 */
export function expectedIds(
  world: World,
  blobs: BlobIndex,
  faults: Faults,
  nowMs: number,
): Record<SourceName, Set<string>> {
  const out = {} as Record<SourceName, Set<string>>;
  for (const source of SOURCE_NAMES) {
    if (isContentType(source)) continue;
    const s = world.streams[source];
    out[source] = idsOf(
      world,
      source,
      Array.from({ length: s.timeline.count + s.extras.length }, (_, seq) => seq),
    );
  }
  for (const type of CONTENT_TYPES) {
    const seqs: number[] = [];
    const take = (blob: Blob): void => {
      const gone =
        blob.createdMs > nowMs ||
        nowMs >= blob.createdMs + RETENTION_MS ||
        faults.isBlobExpired(blobs.contentId(blob));
      if (!gone) seqs.push(...blob.seqs);
    };
    for (let k = 0; k < blobs.baseCount(type); k += 1) take(blobs.base(type, k));
    blobs.lateBlobs(type).forEach(take);
    out[type] = idsOf(world, type, seqs);
  }
  return out;
}
