import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@aoc/core';

/** A database started for this process when `MONGO_URI` is unset. */
export interface EmbeddedMongo {
  uri: string;
  /** `mongod`: a real MongoDB with data under `.aoc/`; `sim`: the in-memory wire server, lost on exit. */
  kind: 'mongod' | 'sim';
  stop(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  log: Logger;
  /** Folder for the persistent database files (default `.aoc/mongo`). */
  dataDir?: string;
  env: Record<string, string | undefined>;
  /** How long to wait for the download host before declaring the machine offline. */
  probeTimeoutMs?: number;
  /** The most a first-time mongod download may take before falling back to the sim server. */
  downloadTimeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A mongod binary we can run without downloading: MONGOMS_SYSTEM_BINARY, or one cached by an earlier download. */
async function localBinary(env: EmbeddedMongoOptions['env']): Promise<string | undefined> {
  const { DryMongoBinary } = await import('mongodb-memory-server-core');
  if (env.MONGOMS_SYSTEM_BINARY) return DryMongoBinary.getSystemPath(env.MONGOMS_SYSTEM_BINARY);
  const options = await DryMongoBinary.generateOptions();
  return DryMongoBinary.locateBinary(options);
}

async function downloadHostReachable(env: EmbeddedMongoOptions['env'], timeoutMs: number): Promise<boolean> {
  const mirror = env.MONGOMS_DOWNLOAD_MIRROR ?? 'https://fastdl.mongodb.org';
  try {
    await fetch(mirror, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return true;
  } catch {
    return false;
  }
}

async function startMongod(
  options: EmbeddedMongoOptions,
  systemBinary: string | undefined,
): Promise<EmbeddedMongo> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = options.dataDir ?? join('.aoc', 'mongo');
  mkdirSync(dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' },
    ...(systemBinary ? { binary: { systemBinary } } : {}),
  });
  return {
    uri: server.getUri(),
    kind: 'mongod',
    // Keep the files: the whole point of the persistent dbPath is that data survives a restart.
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}

/**
 * Start the embedded database of ARCHITECTURE.md: a real mongod (persistent under `.aoc/`) when a binary is
 * at hand or can be downloaded promptly; otherwise the sim wire server in memory, announced loudly because its
 * data is gone on restart. Never blocks startup on a download that cannot finish (offline machines).
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const { log, env } = options;
  try {
    const binary = await localBinary(env);
    if (binary) return await startMongod(options, binary);
    if (await downloadHostReachable(env, options.probeTimeoutMs ?? 2_500)) {
      log.info('downloading a MongoDB binary for the embedded database (first start only)');
      const starting = startMongod(options, undefined);
      try {
        return await withTimeout(starting, options.downloadTimeoutMs ?? 120_000, 'mongod download');
      } catch (error) {
        // A download that finishes after we gave up must not leave a mongod running behind the sim database.
        starting.then((late) => late.stop()).catch(() => undefined);
        throw error;
      }
    }
    log.info('no MongoDB binary available and the download host is unreachable');
  } catch (error) {
    log.warn({ err: error }, 'could not start an embedded mongod');
  }
  const { startMongoSim } = await import('@aoc/sim');
  const sim = await startMongoSim({});
  log.warn(
    '*** MONGO_URI is unset and no mongod could be started: using the in-memory sim database. ' +
      'DATA WILL NOT SURVIVE A RESTART. Set MONGO_URI (or MONGOMS_SYSTEM_BINARY) for real storage. ***',
  );
  return { uri: sim.uri, kind: 'sim', stop: () => sim.stop() };
}
