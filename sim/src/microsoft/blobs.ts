import { hash32, saltOf } from './random.js';
import type { AuditRecord } from './records/context.js';
import { CONTENT_TYPES, isContentType, type ContentType } from './sources.js';
import { TICKS_PER_MS } from './timeline.js';
import type { World } from './world.js';

/** Content older than this cannot be retrieved (AF20051) nor listed (AF20055). */
export const RETENTION_MS = 7 * 86_400_000;

/**
 * One content blob. Base blob k of a type holds that type's events [k*size, (k+1)*size); a late blob holds
 * events added while running. Blobs become available `lagMs` after their newest record, capped at the sim's
 * start, so creation times never decrease with k and a time window maps to a range of k.
 */
export interface Blob {
  contentType: ContentType;
  late: boolean;
  index: number;
  createdMs: number;
  seqs: number[];
}

export interface BlobIndex {
  size: number;
  baseCount(type: ContentType): number;
  base(type: ContentType, k: number): Blob;
  lateBlobs(type: ContentType): readonly Blob[];
  addLate(type: ContentType, seqs: number[], createdMs: number): Blob;
  /** Smallest base k created at or after `ms`. */
  firstBaseAtOrAfter(type: ContentType, ms: number): number;
  contentId(blob: Blob): string;
  find(contentId: string): Blob | undefined;
  /** The blob's records, shuffled (blobs are unordered), with repeats from the previous blob when asked. */
  records(blob: Blob, duplicateFraction: number): AuditRecord[];
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:TZ.]/g, '');

export function createBlobIndex(world: World, size: number, lagMs: number): BlobIndex {
  const late = new Map<ContentType, Blob[]>(CONTENT_TYPES.map((t) => [t, []]));
  const count = (type: ContentType): number => world.streams[type].timeline.count;
  const baseCount = (type: ContentType): number => Math.ceil(count(type) / size);
  const createdOf = (type: ContentType, k: number): number => {
    const last = Math.min(count(type), (k + 1) * size) - 1;
    const newestMs = world.startMs + Math.floor(world.ticksOf(type, last) / TICKS_PER_MS);
    return Math.min(newestMs + lagMs, world.anchorMs - 1000);
  };
  const base = (type: ContentType, k: number): Blob => {
    const first = k * size;
    const seqs: number[] = [];
    for (let seq = first; seq < Math.min(count(type), first + size); seq += 1) seqs.push(seq);
    return { contentType: type, late: false, index: k, createdMs: createdOf(type, k), seqs };
  };
  const lateBlobs = (type: ContentType): Blob[] => late.get(type) ?? [];
  return {
    size,
    baseCount,
    base,
    lateBlobs,
    addLate(type, seqs, createdMs) {
      const list = lateBlobs(type);
      const blob: Blob = { contentType: type, late: true, index: list.length, createdMs, seqs };
      list.push(blob);
      return blob;
    },
    firstBaseAtOrAfter(type, ms) {
      let lo = 0;
      let hi = baseCount(type);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (createdOf(type, mid) < ms) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
    contentId(blob) {
      // Shaped like the real ids: `<stamp+n>$<stamp+n>$audit_sharepoint$Audit_SharePoint$<region>`.
      const head = `${stamp(blob.createdMs)}${blob.late ? 1 : 0}${blob.index.toString().padStart(7, '0')}`;
      return `${head}$${head}$${blob.contentType.toLowerCase().replace('.', '_')}$${blob.contentType.replace('.', '_')}$emea0011`;
    },
    find(contentId) {
      const [head = '', , , typePart = ''] = contentId.split('$');
      const type = typePart.replace('_', '.');
      const m = /^\d{17}([01])(\d{7})$/.exec(head);
      if (!m || !isContentType(type)) return undefined;
      const index = Number(m[2]);
      if (m[1] === '1') return lateBlobs(type)[index];
      return index < baseCount(type) ? base(type, index) : undefined;
    },
    records(blob, duplicateFraction) {
      const seqs = [...blob.seqs];
      if (!blob.late && blob.index > 0 && duplicateFraction > 0) {
        for (const seq of base(blob.contentType, blob.index - 1).seqs) {
          if (hash32(world.seed, seq, 0xd0b) / 4294967296 < duplicateFraction) seqs.push(seq);
        }
      }
      const salt = saltOf(blob.contentType);
      seqs.sort((a, b) => hash32(world.seed, salt, a) - hash32(world.seed, salt, b));
      return seqs.map((seq) => world.record(blob.contentType, seq));
    },
  };
}
