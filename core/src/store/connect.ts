import { MongoClient } from 'mongodb';
import { redactUri } from '../config.js';
import { UnavailableError } from '../errors.js';

export interface ConnectOptions {
  /** How long to wait for a reachable server before giving up (ms). */
  serverSelectionTimeoutMS?: number;
  appName?: string;
}

/**
 * Open a MongoDB client with the official driver and verify the server answers. A server that cannot be
 * reached becomes an `UnavailableError` whose message carries the URI with its password masked.
 */
export async function connectMongo(uri: string, options: ConnectOptions = {}): Promise<MongoClient> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    appName: options.appName ?? 'aoc',
  });
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
