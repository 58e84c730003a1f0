/** Runs tasks with at most `limit` in flight; `submit` waits for a free slot, so producers are held back. */
export interface WorkPool {
  submit(task: () => Promise<void>): Promise<void>;
  /** Wait for every submitted task; rethrows the first task error. */
  drain(): Promise<void>;
}

/** A bounded pool. A failing task stops the pool: later `submit`s and `drain` rethrow its error. */
export function createWorkPool(limit: number): WorkPool {
  const active = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const check = () => {
    if (failure) throw failure.error;
  };
  return {
    async submit(task) {
      check();
      while (active.size >= limit) {
        await Promise.race(active);
        check();
      }
      const running: Promise<void> = task()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => active.delete(running));
      active.add(running);
    },
    async drain() {
      while (active.size > 0) await Promise.all(active);
      check();
    },
  };
}
