import { describe, expect, it } from 'vitest';
import type { FetchProgress, ProgressListener } from '@aoc/core';
import { progressStream } from './progress-stream.js';

/** A stand-in for core's ingest: the test announces progress as a fetch would. */
function fakeIngest(initial: FetchProgress | null = null) {
  const listeners = new Set<ProgressListener>();
  let current = initial;
  return {
    progress: () => current,
    watchProgress(listener: ProgressListener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    announce(progress: FetchProgress | null) {
      current = progress;
      for (const listener of listeners) listener(progress);
    },
    watchers: () => listeners.size,
  };
}

const snapshot = (stored: number, state: 'running' | 'done' = 'running'): FetchProgress => ({
  run_id: 'run-1',
  started_at: '2026-11-23T00:00:00.000Z',
  sources: { directory: { state, pages: 1, blobs: 0, events_fetched: stored, events_stored: stored } },
});

const stored = (p: FetchProgress | null) => (p === null ? null : p.sources.directory!.events_stored);
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what the stream sends, as a tRPC client would receive it. */
function consume(stream: AsyncGenerator<FetchProgress | null>) {
  const received: (FetchProgress | null)[] = [];
  const done = (async () => {
    for await (const progress of stream) received.push(progress);
  })();
  return { received, done };
}

describe('progressStream', () => {
  it('sends the current state at once, then each change as it happens', async () => {
    const ingest = fakeIngest(snapshot(5));
    const stop = new AbortController();
    const { received, done } = consume(progressStream(ingest, stop.signal, 20));
    await tick();
    expect(received.map(stored)).toEqual([5]);
    await tick(40);
    ingest.announce(snapshot(10));
    await tick();
    // Sent as soon as it happens: the stream was idle, not waiting out a poll interval.
    expect(received.map(stored)).toEqual([5, 10]);
    stop.abort();
    await done;
  });

  it('coalesces a burst to its latest snapshot, yet always sends a run’s last snapshot before its end', async () => {
    const ingest = fakeIngest();
    const stop = new AbortController();
    const { received, done } = consume(progressStream(ingest, stop.signal, 50));
    await tick();
    for (let n = 1; n <= 100; n += 1) ingest.announce(snapshot(n));
    await tick(120);
    for (let n = 101; n <= 200; n += 1) ingest.announce(snapshot(n));
    ingest.announce(snapshot(200, 'done'));
    ingest.announce(null);
    await tick(120);
    stop.abort();
    await done;
    expect(received.map(stored)).toEqual([null, 100, 200, null]);
    expect(received.at(-2)?.sources.directory?.state).toBe('done');
  });

  it('stops watching when the client leaves', async () => {
    const ingest = fakeIngest();
    const stop = new AbortController();
    const { done } = consume(progressStream(ingest, stop.signal, 20));
    await tick();
    expect(ingest.watchers()).toBe(1);
    stop.abort();
    await done;
    expect(ingest.watchers()).toBe(0);
  });
});
