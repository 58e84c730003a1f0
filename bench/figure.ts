/** One measured figure of `npm run bench`, as written to bench/results.json. */
export interface Figure {
  id: string;
  /** The median of `runs`. */
  value: number;
  unit: string;
  target?: number;
  /** False when lower values are better (latencies, memory, overhead). Defaults to true. */
  higherIsBetter?: boolean;
  /** The ceiling or baseline measured in the same run, in the same unit. */
  ceiling?: number;
  /** value / ceiling (or as the figure defines it). */
  ratio?: number;
  min?: number;
  max?: number;
  runs: number[];
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Build a figure from repeated runs: median value, with min and max. */
export function figureOf(base: Omit<Figure, 'value' | 'min' | 'max'>): Figure {
  return { ...base, value: median(base.runs), min: Math.min(...base.runs), max: Math.max(...base.runs) };
}
