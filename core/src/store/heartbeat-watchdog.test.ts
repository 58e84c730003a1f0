import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchHeartbeats } from './heartbeat-watchdog.js';
import type { HeartbeatWatchdog } from './heartbeat-watchdog.js';

const ADDRESS = '127.0.0.1:27017';

describe('watchHeartbeats', () => {
  let client: EventEmitter;
  let stuck: { address: string; outstandingMS: number }[];
  let release: () => void;
  let watchdog: HeartbeatWatchdog;

  beforeEach(() => {
    vi.useFakeTimers();
    client = new EventEmitter();
    stuck = [];
    watchdog = watchHeartbeats(client, {
      pollLimitMS: 3_000,
      awaitedLimitMS: 8_000,
      checkEveryMS: 500,
      now: () => Date.now(),
      onStuck: (address, outstandingMS) => {
        stuck.push({ address, outstandingMS });
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
  });

  afterEach(() => {
    watchdog.stop();
    vi.useRealTimers();
  });

  const started = (awaited = false) =>
    client.emit('serverHeartbeatStarted', { connectionId: ADDRESS, awaited });

  it('reports a polled heartbeat left unanswered past its limit, with the server and how long', () => {
    started();
    vi.advanceTimersByTime(3_000);
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(stuck).toEqual([{ address: ADDRESS, outstandingMS: 3_500 }]);
  });

  it('leaves alone heartbeats that succeed or fail, however many there are', () => {
    for (let i = 0; i < 10; i += 1) {
      started();
      vi.advanceTimersByTime(2_000);
      client.emit(i % 2 ? 'serverHeartbeatFailed' : 'serverHeartbeatSucceeded', { connectionId: ADDRESS });
      vi.advanceTimersByTime(2_000);
    }
    expect(stuck).toEqual([]);
  });

  it('gives a streamed (awaited) heartbeat its longer limit', () => {
    started(true);
    vi.advanceTimersByTime(7_500);
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(stuck.map((s) => s.address)).toEqual([ADDRESS]);
  });

  it('reports once per hang and watches again only after the recovery settles', async () => {
    started();
    vi.advanceTimersByTime(4_000);
    expect(stuck).toHaveLength(1);
    // Another hung heartbeat during the recovery is not reported on top of it.
    started();
    vi.advanceTimersByTime(10_000);
    expect(stuck).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    started();
    vi.advanceTimersByTime(4_000);
    expect(stuck).toHaveLength(2);
  });

  it('stops watching when stopped', () => {
    watchdog.stop();
    started();
    vi.advanceTimersByTime(60_000);
    expect(stuck).toEqual([]);
    expect(client.listenerCount('serverHeartbeatStarted')).toBe(0);
  });
});
