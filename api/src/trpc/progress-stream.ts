import type { FetchProgress, Ingest } from '@aoc/core';

/**
 * The least time between two snapshots sent to one client. A run changes its progress on every page and
 * stored batch, hundreds of times a second at full speed; ten updates a second keep a progress bar smooth.
 */
const MIN_GAP_MS = 100;

/**
 * The progress of whichever fetch runs in this process, as it changes: the current state first (`null` when
 * none runs), then each change, at most one snapshot per `gapMs` (the latest wins). A run's last snapshot is
 * always sent before the `null` that ends it, so watchers see how it finished. Ends when `stop` aborts.
 */
export async function* progressStream(
  ingest: Pick<Ingest, 'progress' | 'watchProgress'>,
  stop: AbortSignal,
  gapMs = MIN_GAP_MS,
): AsyncGenerator<FetchProgress | null> {
  let latest = ingest.progress();
  let unsent = true;
  let finished: FetchProgress | undefined;
  let wake: (() => void) | undefined;
  const unwatch = ingest.watchProgress((progress) => {
    if (progress === null && latest !== null && unsent) finished = latest;
    latest = progress;
    unsent = true;
    wake?.();
  });
  try {
    while (!stop.aborted) {
      if (finished) {
        const last = finished;
        finished = undefined;
        yield last;
      }
      if (unsent) {
        unsent = false;
        yield latest;
        await pause(gapMs, stop);
        continue;
      }
      let forget = () => {};
      await new Promise<void>((resolve) => {
        wake = resolve;
        forget = onAbortOf(stop, resolve);
      });
      forget();
      wake = undefined;
    }
  } finally {
    unwatch();
  }
}

function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      forget();
      resolve();
    }, ms);
    const forget = onAbortOf(stop, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs `then` once when `stop` aborts; returns the function that cancels it (a long stream waits many times). */
function onAbortOf(stop: AbortSignal, then: () => void): () => void {
  stop.addEventListener('abort', then, { once: true });
  return () => stop.removeEventListener('abort', then);
}
