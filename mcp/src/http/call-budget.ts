import { AppError } from '@aoc/core';

/**
 * Calls per caller per minute (fixed one-minute windows), for tools that cost money: the LLM behind `ask`.
 * Over the budget, `take` throws `RATE_LIMITED`, which reaches the model as a tool error saying to wait.
 */
export function createCallBudget(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; used: number }>();
  return {
    take(key: string): void {
      const at = now();
      const current = windows.get(key);
      if (!current || at - current.start >= 60_000) {
        // Forget finished windows so the map holds only recent callers.
        for (const [k, w] of windows) if (at - w.start >= 60_000) windows.delete(k);
        windows.set(key, { start: at, used: 1 });
        return;
      }
      if (current.used >= perMinute) {
        const wait = Math.ceil((current.start + 60_000 - at) / 1000);
        throw new AppError('RATE_LIMITED', `At most ${perMinute} questions a minute; wait ${wait} s`);
      }
      current.used += 1;
    },
  };
}
