import type { EventEmitter } from 'node:events';
import type {
  ServerHeartbeatFailedEvent,
  ServerHeartbeatStartedEvent,
  ServerHeartbeatSucceededEvent,
} from 'mongodb';

export interface HeartbeatWatchdogOptions {
  /** Longest a polled heartbeat (`awaited: false`) may go unanswered before it counts as stuck (ms). */
  pollLimitMS: number;
  /** Same for a streamed one (`awaited: true`), which the server may legitimately hold open longer (ms). */
  awaitedLimitMS: number;
  /** How often outstanding heartbeats are checked (ms). */
  checkEveryMS: number;
  /**
   * Called with the server's address when one of its heartbeats is stuck. The watchdog forgets what it was
   * tracking and does not check again until the returned promise settles.
   */
  onStuck(address: string, outstandingMS: number): Promise<void>;
  now?: () => number;
}

export interface HeartbeatWatchdog {
  stop(): void;
}

/**
 * Watch a MongoClient's SDAM heartbeat events (`serverHeartbeatStarted` without a matching `Succeeded` or
 * `Failed`) and report a server whose heartbeat stays unanswered past its limit. Every heartbeat the driver
 * starts is bounded by its own socket timeout, so one still open past that bound means the monitor is stuck and
 * will never check the server again (see connect.ts for the race that causes it).
 */
export function watchHeartbeats(client: EventEmitter, options: HeartbeatWatchdogOptions): HeartbeatWatchdog {
  const now = options.now ?? Date.now;
  const outstanding = new Map<string, { since: number; limit: number }>();
  let reporting = false;
  const started = (event: ServerHeartbeatStartedEvent) => {
    outstanding.set(event.connectionId, {
      since: now(),
      limit: event.awaited ? options.awaitedLimitMS : options.pollLimitMS,
    });
  };
  const ended = (event: ServerHeartbeatSucceededEvent | ServerHeartbeatFailedEvent) => {
    outstanding.delete(event.connectionId);
  };
  const check = () => {
    if (reporting) return;
    for (const [address, { since, limit }] of outstanding) {
      const age = now() - since;
      if (age <= limit) continue;
      outstanding.clear();
      reporting = true;
      options
        .onStuck(address, age)
        .catch(() => undefined)
        .finally(() => {
          reporting = false;
        });
      return;
    }
  };
  client.on('serverHeartbeatStarted', started);
  client.on('serverHeartbeatSucceeded', ended);
  client.on('serverHeartbeatFailed', ended);
  const timer = setInterval(check, options.checkEveryMS);
  // A watchdog must never be what keeps a process alive.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      client.off('serverHeartbeatStarted', started);
      client.off('serverHeartbeatSucceeded', ended);
      client.off('serverHeartbeatFailed', ended);
      outstanding.clear();
    },
  };
}
