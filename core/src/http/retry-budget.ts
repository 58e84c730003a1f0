/**
 * A shared allowance of retries. One budget spans a whole fetch run, so a Microsoft outage costs a bounded
 * number of extra calls instead of `maxAttempts` for every one of thousands of requests.
 */
export interface RetryBudget {
  /** Take one retry; false when none are left. */
  take(): boolean;
  readonly used: number;
  readonly remaining: number;
}

/** A budget of `max` retries (Infinity for no limit). */
export function createRetryBudget(max: number): RetryBudget {
  let used = 0;
  return {
    take() {
      if (used >= max) return false;
      used += 1;
      return true;
    },
    get used() {
      return used;
    },
    get remaining() {
      return Math.max(0, max - used);
    },
  };
}
