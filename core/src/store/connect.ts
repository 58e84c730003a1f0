import { MongoClient } from 'mongodb';
import type { MongoClientOptions } from 'mongodb';
import { redactUri } from '../config.js';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { watchHeartbeats } from './heartbeat-watchdog.js';
import type { HeartbeatWatchdog } from './heartbeat-watchdog.js';

export interface ConnectOptions {
  /** How long to wait for a reachable server before giving up (ms). */
  serverSelectionTimeoutMS?: number;
  /** TCP connect and handshake timeout (ms); also bounds each polled heartbeat, hence the watchdog's limits. */
  connectTimeoutMS?: number;
  /** Interval between the driver's server checks (ms). */
  heartbeatFrequencyMS?: number;
  appName?: string;
  /** Where a stuck monitor and the client's rebuild are reported. */
  log?: Logger;
}

// Headroom over the driver's own bounds before a heartbeat counts as stuck, since timers run late on a busy
// machine: half the connect timeout (5 s with the defaults), never under a second.
const watchdogSlackMS = (connectTimeoutMS: number) => Math.max(1_000, connectTimeoutMS / 2);
const WATCHDOG_CHECK_EVERY_MS = 1_000;
const RECONNECT_FIRST_DELAY_MS = 500;
const RECONNECT_MAX_DELAY_MS = 5_000;

/**
 * A MongoClient that rebuilds its topology when a server monitor gets stuck.
 *
 * Why: in mongodb 7.9 a server check can hang forever. When MongoDB goes away, a failed operation on a pool
 * connection requests an immediate check; if the monitor's own socket was destroyed by the same outage but its
 * 'close' event has not reached the driver yet, the check writes `hello` to the destroyed socket. Node answers
 * such a write with `false` and never emits 'drain' or 'error', and the driver awaits that 'drain' with no timeout
 * (a socket timeout cannot fire on a destroyed socket). The monitor then never checks again, the server stays
 * Unknown, and every operation fails server selection until the process restarts.
 *
 * The driver bounds every heartbeat by its socket timeouts, so the watchdog treats one unanswered past those
 * bounds as that hang, and recovers with the public API: close the client (dropping the stuck monitor) and
 * connect it again. `Db` and `Collection` objects taken from this client keep working, since they reach the
 * topology through the client.
 */
class WatchedMongoClient extends MongoClient {
  readonly #watchdog: HeartbeatWatchdog;
  readonly #log: Logger | undefined;
  #closed = false;

  constructor(
    uri: string,
    options: MongoClientOptions & Required<Pick<ConnectOptions, 'connectTimeoutMS' | 'heartbeatFrequencyMS'>>,
    log?: Logger,
  ) {
    super(uri, options);
    this.#log = log;
    this.#watchdog = watchHeartbeats(this, {
      // A polled check may first open a socket and then handshake, each bounded by connectTimeoutMS.
      pollLimitMS: 2 * options.connectTimeoutMS + watchdogSlackMS(options.connectTimeoutMS),
      // A streamed check is held by the server for up to heartbeatFrequencyMS, under a socket timeout of
      // connectTimeoutMS + heartbeatFrequencyMS.
      awaitedLimitMS:
        options.connectTimeoutMS + options.heartbeatFrequencyMS + watchdogSlackMS(options.connectTimeoutMS),
      checkEveryMS: WATCHDOG_CHECK_EVERY_MS,
      onStuck: (address, outstandingMS) => this.#rebuild(address, outstandingMS),
    });
  }

  override async close(force?: boolean): Promise<void> {
    this.#closed = true;
    this.#watchdog.stop();
    await super.close(force);
  }

  async #rebuild(address: string, outstandingMS: number): Promise<void> {
    if (this.#closed) return;
    this.#log?.warn(
      { address, outstandingMS },
      'MongoDB server monitor stuck (no heartbeat answer); reconnecting the client',
    );
    // Closing never blocks the reconnect: a client left closed would refuse every operation for good.
    await super.close().catch((error: unknown) => {
      this.#log?.warn({ address, err: error }, 'MongoDB client close before reconnecting failed');
    });
    let delay = RECONNECT_FIRST_DELAY_MS;
    while (!this.#closed) {
      try {
        await super.connect();
        this.#log?.info({ address }, 'MongoDB client reconnected after a stuck monitor');
        return;
      } catch (error) {
        // The database may really be down now: keep trying (operations meanwhile fail as unavailable).
        this.#log?.warn({ address, err: error, retryInMs: delay }, 'MongoDB reconnect failed; retrying');
        await new Promise<void>((resolve) => setTimeout(resolve, delay).unref());
        delay = Math.min(delay * 2, RECONNECT_MAX_DELAY_MS);
      }
    }
  }
}

/**
 * Open a MongoDB client with the official driver and verify the server answers. A server that cannot be
 * reached becomes an `UnavailableError` whose message carries the URI with its password masked.
 *
 * The client recovers by itself from a driver monitor that hangs during a database outage (see
 * `WatchedMongoClient`): it reconnects in place, so `Db` objects taken from it stay valid. Closing it stops that.
 */
export async function connectMongo(uri: string, options: ConnectOptions = {}): Promise<MongoClient> {
  const client = new WatchedMongoClient(
    uri,
    {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
      // The driver's 30 s default would leave a stuck monitor undetected for over a minute.
      connectTimeoutMS: options.connectTimeoutMS ?? 10_000,
      heartbeatFrequencyMS: options.heartbeatFrequencyMS ?? 10_000,
      appName: options.appName ?? 'aoc',
    },
    options.log,
  );
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new UnavailableError(`Cannot reach MongoDB at ${redactUri(uri)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return client;
}
