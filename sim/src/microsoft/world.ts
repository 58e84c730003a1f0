import { createRng, hash32, saltOf } from './random.js';
import type { AuditRecord } from './records/context.js';
import { SOURCES, SOURCE_NAMES, type SourceName } from './sources.js';
import { buildTenant, type Tenant } from './tenant.js';
import { createTimeline, graphTimestamp, TICKS_PER_MS, type Timeline } from './timeline.js';

/** Position of one event in its source's order: time offset in ticks from the world's start, then sequence. */
export interface EventKey {
  ticks: number;
  seq: number;
}

/** An event added while running (a late arrival): its time lies in the past, its availability is `addedMs`. */
export interface ExtraEvent extends EventKey {
  addedMs: number;
}

export interface WorldOptions {
  seed: number;
  events: number;
  days: number;
  /** The instant the generated history ends at (the sim's start time). */
  anchorMs: number;
}

export interface Stream {
  source: SourceName;
  timeline: Timeline;
  extras: ExtraEvent[];
}

/**
 * The generated tenant and its event streams. Base events are derived from (seed, source, seq) on demand;
 * only late arrivals are stored, so a million events cost no memory.
 */
export interface World {
  seed: number;
  tenant: Tenant;
  startMs: number;
  anchorMs: number;
  streams: Record<SourceName, Stream>;
  record(source: SourceName, seq: number): AuditRecord;
  ticksOf(source: SourceName, seq: number): number;
  /**
   * Adds `count` events available from `nowMs` whose activity times spread over [endMs - spreadMs, endMs):
   * late arrivals when endMs lies hours back, live traffic when it is now.
   */
  addLate(
    source: SourceName,
    count: number,
    at: { nowMs: number; endMs: number; spreadMs: number },
  ): ExtraEvent[];
  /** Keys in (ticks, seq) order, ascending or descending, strictly after `after` and within [low, high] ticks. */
  keys(source: SourceName, options: KeyScan): Generator<EventKey>;
}

export interface KeyScan {
  descending: boolean;
  after?: EventKey;
  inclusive?: boolean;
  low?: number;
  high?: number;
}

export function compareKeys(a: EventKey, b: EventKey): number {
  return a.ticks - b.ticks || a.seq - b.seq;
}

export function createWorld(options: WorldOptions): World {
  const { seed, anchorMs } = options;
  const tenant = buildTenant(seed);
  const spanMs = Math.max(1, Math.round(options.days * 86_400_000) - 60_000);
  const startMs = anchorMs - Math.round(options.days * 86_400_000);
  const counts = splitByShare(options.events);
  const streams = {} as Record<SourceName, Stream>;
  SOURCE_NAMES.forEach((source) => {
    const count = counts[source];
    streams[source] = {
      source,
      timeline: createTimeline(seed, saltOf(source), count, startMs, spanMs),
      extras: [],
    };
  });

  const stream = (source: SourceName): Stream => streams[source];
  const ticksOf = (source: SourceName, seq: number): number => {
    const s = stream(source);
    if (seq < s.timeline.count) return s.timeline.offsetTicks(seq);
    const extra = s.extras[seq - s.timeline.count];
    if (!extra) throw new Error(`no event ${seq} in ${source}`);
    return extra.ticks;
  };

  function* keys(source: SourceName, scan: KeyScan): Generator<EventKey> {
    const { timeline, extras } = stream(source);
    const low = scan.low ?? -Infinity;
    const high = scan.high ?? Infinity;
    const passes = (key: EventKey): boolean => {
      if (key.ticks < low || key.ticks > high) return false;
      if (!scan.after) return true;
      const c = compareKeys(key, scan.after);
      if (scan.inclusive && c === 0) return true;
      return scan.descending ? c < 0 : c > 0;
    };
    const sortedExtras = extras.filter(passes).sort(compareKeys);
    if (scan.descending) sortedExtras.reverse();
    let e = 0;
    // Base events: walk j from the bound inward; times never decrease with j.
    const bound = scan.descending
      ? Math.min(high, scan.after?.ticks ?? Infinity)
      : Math.max(low, scan.after?.ticks ?? -Infinity);
    let j = scan.descending
      ? (bound === Infinity ? timeline.count : timeline.firstAtOrAfter(Math.floor(bound) + 1)) - 1
      : bound === -Infinity
        ? 0
        : timeline.firstAtOrAfter(Math.ceil(bound));
    const step = scan.descending ? -1 : 1;
    for (;;) {
      let base: EventKey | undefined;
      while (j >= 0 && j < timeline.count) {
        const key = { ticks: timeline.offsetTicks(j), seq: j };
        if (scan.descending ? key.ticks < low : key.ticks > high) {
          j = -1;
          break;
        }
        if (passes(key)) {
          base = key;
          break;
        }
        j += step;
      }
      const extra = sortedExtras[e];
      if (!base && !extra) return;
      const takeExtra =
        extra !== undefined &&
        (!base || (scan.descending ? compareKeys(extra, base) > 0 : compareKeys(extra, base) < 0));
      if (takeExtra) {
        e += 1;
        yield extra;
      } else if (base) {
        j += step;
        yield base;
      }
    }
  }

  return {
    seed,
    tenant,
    startMs,
    anchorMs,
    streams,
    ticksOf,
    keys,
    record(source, seq) {
      const ticks = ticksOf(source, seq);
      const rng = createRng(seed, saltOf(source), seq, 0x5eed);
      return SOURCES[source].build({
        tenant,
        rng,
        ms: startMs + Math.floor(ticks / TICKS_PER_MS),
        graphTime: graphTimestamp(startMs, ticks),
      });
    },
    addLate(source, count, { nowMs, endMs, spreadMs }) {
      const s = stream(source);
      const added: ExtraEvent[] = [];
      for (let i = 0; i < count; i += 1) {
        const seq = s.timeline.count + s.extras.length;
        const offsetMs = 1 + (hash32(seed, saltOf(source), seq, 0x1a7e) % Math.max(1, Math.floor(spreadMs)));
        const ms = endMs - offsetMs;
        const extra = { seq, ticks: (ms - startMs) * TICKS_PER_MS + (seq % TICKS_PER_MS), addedMs: nowMs };
        s.extras.push(extra);
        added.push(extra);
      }
      return added;
    },
  };
}

/** Splits a total over the sources by share, handing the remainder to the largest fractions (sum stays exact). */
function splitByShare(total: number): Record<SourceName, number> {
  const totalShare = SOURCE_NAMES.reduce((sum, name) => sum + SOURCES[name].share, 0);
  const exact = SOURCE_NAMES.map((name) => ({ name, value: (total * SOURCES[name].share) / totalShare }));
  const counts = Object.fromEntries(exact.map(({ name, value }) => [name, Math.floor(value)])) as Record<
    SourceName,
    number
  >;
  let remainder = total - Object.values(counts).reduce((sum, n) => sum + n, 0);
  for (const { name } of [...exact].sort((a, b) => (b.value % 1) - (a.value % 1))) {
    if (remainder === 0) break;
    counts[name] += 1;
    remainder -= 1;
  }
  return counts;
}
