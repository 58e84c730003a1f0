/**
 * Runs writes in order per key: a write starts once the writes started before it that share one of its keys
 * have settled (whether they succeeded or not), and waits for no other. A key is forgotten once its last write
 * has settled.
 */
export function createKeyedOrder() {
  const last = new Map<string, Promise<unknown>>();
  return {
    run<T>(keys: readonly string[], write: () => Promise<T>): Promise<T> {
      const unique = [...new Set(keys)];
      const before = unique.flatMap((key) => last.get(key) ?? []);
      const done = before.length === 0 ? write() : Promise.all(before).then(write);
      const settled = done.then(
        () => undefined,
        () => undefined,
      );
      for (const key of unique) {
        last.set(key, settled);
        void settled.then(() => {
          if (last.get(key) === settled) last.delete(key);
        });
      }
      return done;
    },
  };
}
