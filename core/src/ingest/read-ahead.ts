/**
 * Yield the items of `source` while already requesting the next one, so fetching page N+1 overlaps storing
 * page N. At most one item waits beyond the one being processed, so memory stays bounded.
 */
export async function* readAhead<T>(source: AsyncIterator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = source.next();
      // The consumer may stop before awaiting it; its failure is then reported by the consumer's own error.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await source.return?.();
  }
}
