import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URI of the MongoDB every integration test file gets its own database on. */
    mongoUri: string;
  }
}

/** The database of one integration test file; fields are readable from `beforeAll` of that file on. */
export interface TestDatabase {
  /** The connected client (closed after the file's tests). */
  readonly client: MongoClient;
  /** The file's own, freshly named database (dropped after the file's tests). */
  readonly db: Db;
  /** Its name, for code that takes a URI and a database name. */
  readonly name: string;
  /** The base URI the client connected to: the sim's, or AOC_TEST_MONGO_URI's. */
  readonly uri: string;
}

/**
 * For a vitest integration file (`*.int.test.ts`): connects a `MongoClient` to the run's MongoDB
 * (`inject('mongoUri')`, see test/global-setup.ts) before the file's tests, gives the file a uniquely named
 * database, and drops it and closes the client after them. Call it once at the top level of the file.
 */
export function useTestDatabase(prefix = 'aoc_test'): TestDatabase {
  let client: MongoClient | undefined;
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const uri = inject('mongoUri');

  beforeAll(async () => {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
  });

  afterAll(async () => {
    if (!client) return;
    try {
      await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });

  const connected = (): MongoClient => {
    if (!client) {
      throw new Error('useTestDatabase: the client connects in beforeAll; use it inside hooks or tests');
    }
    return client;
  };
  return {
    get client() {
      return connected();
    },
    get db() {
      return connected().db(name);
    },
    name,
    uri,
  };
}

export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
