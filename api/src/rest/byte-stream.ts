/**
 * A web `ReadableStream` of UTF-8 bytes pulled from an async iterable of strings: the database is read only as
 * fast as the client downloads, and a client that disconnects cancels the iteration (closing the cursor).
 */
export function toByteStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next: IteratorResult<string> = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
