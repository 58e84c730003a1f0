import { createRng, pickWeighted, saltOf } from './random.js';
import { SOURCE_NAMES, SOURCES, type SourceName } from './sources.js';

export interface LiveTraffic {
  everyMs: number;
  count: number;
}

/**
 * Keeps a demo tenant busy: every `everyMs`, `count` events of the interval just passed, spread over the sources
 * by their share. Returns the function that stops it.
 */
export function startLiveTraffic(
  seed: number,
  traffic: LiveTraffic,
  now: () => Date,
  add: (source: SourceName, count: number, at: { nowMs: number; endMs: number; spreadMs: number }) => void,
): () => void {
  const weights = SOURCE_NAMES.map((name) => [SOURCES[name].share, name] as const);
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    const nowMs = now().getTime();
    const perSource = new Map<SourceName, number>();
    for (let i = 0; i < traffic.count; i += 1) {
      const source = pickWeighted(createRng(seed, saltOf('live'), tick, i), weights);
      perSource.set(source, (perSource.get(source) ?? 0) + 1);
    }
    for (const [source, n] of perSource) add(source, n, { nowMs, endMs: nowMs, spreadMs: traffic.everyMs });
  }, traffic.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
