import { describe, expect, it } from 'vitest';
import type { SourceProgressView } from './fetch-progress.js';
import { withProgress, type Run, type StreamedProgress } from './fetch-run.js';

const source = (state: SourceProgressView['state'], stored: number): SourceProgressView => ({
  state,
  pages: 1,
  blobs: 0,
  events_fetched: stored,
  events_stored: stored,
});

const snapshot = (runId: string, state: SourceProgressView['state'], stored: number): StreamedProgress => ({
  run_id: runId,
  sources: { directory: source(state, stored), unified: source(state, stored) },
});

const replay = (start: Run, stream: (StreamedProgress | null)[]) => stream.reduce(withProgress, start);

describe('withProgress', () => {
  it('watches a fetch started elsewhere, and ends it as complete with what it stored', () => {
    const watching = replay({ kind: 'idle' }, [null, snapshot('r1', 'running', 3)]);
    expect(watching).toMatchObject({ kind: 'watching', runId: 'r1' });
    const done = replay(watching, [snapshot('r1', 'done', 7), null]);
    expect(done).toEqual({
      kind: 'done',
      sources: snapshot('r1', 'done', 7).sources,
      count: 14,
      warnings: [],
      elsewhere: true,
      runId: 'r1',
    });
  });

  it('follows the fetch started here and keeps its run id for when its result comes', () => {
    const running = replay({ kind: 'running', sources: {} }, [snapshot('r2', 'running', 5)]);
    expect(running).toEqual({ kind: 'running', sources: snapshot('r2', 'running', 5).sources, runId: 'r2' });
    // Its end does not turn it into someone else's run: the page waits for the fetch's own result.
    expect(withProgress(running, null)).toBe(running);
  });

  it('ignores a late snapshot of a run already finished here, yet watches the next one', () => {
    const finished: Run = {
      kind: 'done',
      sources: snapshot('r3', 'done', 9).sources,
      count: 18,
      warnings: ['unified: 1 record(s) could not be normalized and were skipped'],
      elsewhere: false,
      runId: 'r3',
    };
    expect(replay(finished, [snapshot('r3', 'done', 9), null])).toBe(finished);
    expect(withProgress(finished, snapshot('r4', 'pending', 0))).toMatchObject({
      kind: 'watching',
      runId: 'r4',
    });
  });

  it('watches a fetch that starts after one here failed', () => {
    const failed: Run = { kind: 'error', error: new Error('fetch already running') };
    expect(withProgress(failed, null)).toBe(failed);
    expect(withProgress(failed, snapshot('r5', 'running', 1))).toMatchObject({ kind: 'watching' });
  });
});
