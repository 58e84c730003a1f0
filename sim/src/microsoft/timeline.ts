import { hash32 } from './random.js';

/** 100-nanosecond ticks per millisecond: Graph timestamps carry seven fractional digits. */
export const TICKS_PER_MS = 10_000;

/**
 * `count` events spread over [startMs, startMs + spanMs), event j at a jittered point of slot j, so times never
 * decrease with j and any time maps back to an index in O(1): a stream of a million events needs no storage.
 * Times are offsets in ticks from startMs (absolute ticks would exceed 2^53).
 */
export interface Timeline {
  count: number;
  startMs: number;
  spanMs: number;
  offsetTicks(j: number): number;
  /** Smallest j whose offset is >= ticks (count when none). */
  firstAtOrAfter(ticks: number): number;
}

export function createTimeline(
  seed: number,
  salt: number,
  count: number,
  startMs: number,
  spanMs: number,
): Timeline {
  const spanTicks = spanMs * TICKS_PER_MS;
  const offsetTicks = (j: number): number => {
    const jitter = hash32(seed, salt, j) / 4294967296;
    return Math.floor(((j + jitter) / count) * spanTicks);
  };
  return {
    count,
    startMs,
    spanMs,
    offsetTicks,
    firstAtOrAfter(ticks) {
      if (count === 0) return 0;
      let j = Math.min(count, Math.max(0, Math.floor((ticks / spanTicks) * count) - 1));
      while (j > 0 && offsetTicks(j - 1) >= ticks) j -= 1;
      while (j < count && offsetTicks(j) < ticks) j += 1;
      return j;
    },
  };
}

/** `2025-11-20T10:01:19.5796748Z`, the form Graph uses for activityDateTime. */
export function graphTimestamp(startMs: number, offsetTicks: number): string {
  const ms = startMs + Math.floor(offsetTicks / TICKS_PER_MS);
  const sub = (offsetTicks % TICKS_PER_MS).toString().padStart(4, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${sub}Z`;
}

/** `2025-11-20T10:01:19`, the Management Activity API's CreationTime: UTC without a zone designator. */
export function managementTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * Parses an ISO-8601 instant with up to seven fractional digits into ticks relative to `startMs`; a missing zone
 * means UTC, as both APIs read it. Undefined when the text is not a date-time.
 */
export function parseTicks(text: string, startMs: number): number | undefined {
  const m =
    /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, day, hh = '00', mm = '00', ss = '00', fraction = '', zone = 'Z'] = m;
  const base = Date.parse(`${day}T${hh}:${mm}:${ss}${zone}`);
  if (Number.isNaN(base)) return undefined;
  const fractionTicks = Number(fraction.padEnd(7, '0'));
  return (base - startMs) * TICKS_PER_MS + fractionTicks;
}
