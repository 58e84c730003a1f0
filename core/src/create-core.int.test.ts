import { useTestDatabase } from '@aoc/sim/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createCore } from './create-core.js';
import { silentLogger } from './logger.js';
import { createMappingsProvider } from './mappings/mappings-provider.js';
import { connectMongo } from './store/connect.js';
import { makeEvent } from './test-support/event-factory.js';

const database = useTestDatabase('aoc_core');

function config(env: Record<string, string> = {}) {
  return loadConfig({ MONGO_URI: database.uri, MONGO_DB: database.name, ...env });
}

const deps = () => ({ log: silentLogger(), mappings: createMappingsProvider(undefined) });

describe('createCore', () => {
  it('connects, ensures indexes, reports health and closes its own connection', async () => {
    const core = await createCore(config(), deps());
    expect(await core.health()).toEqual({ db: 'up' });
    const names = (await core.db.collection('events').indexes()).map((index) => index.name);
    expect(names).toContain('search_terms_timestamp_id');
    await core.close();
    await core.close();
    expect(await core.health()).toEqual({ db: 'down' });
  });

  it('applies RETENTION_DAYS as a TTL index at startup', async () => {
    const core = await createCore(config({ RETENTION_DAYS: '14' }), {
      ...deps(),
      mongoClient: database.client,
    });
    const ttl = (await core.db.collection('events').indexes()).find(
      (index) => index.expireAfterSeconds !== undefined,
    );
    expect(ttl?.expireAfterSeconds).toBe(14 * 86_400);
    await createCore(config(), { ...deps(), mongoClient: database.client });
    const after = await core.db.collection('events').indexes();
    expect(after.some((index) => index.expireAfterSeconds !== undefined)).toBe(false);
  });

  it('lets replicas sharing a database continue each other’s cursors, and no one else', async () => {
    const a = await createCore(config(), { ...deps(), mongoClient: database.client });
    const b = await createCore(config(), { ...deps(), mongoClient: database.client });
    await a.events.upsert([makeEvent(), makeEvent(), makeEvent()]);
    const first = await a.events.search({ page_size: 1 });
    const second = await b.events.search({ page_size: 1, cursor: first.next_cursor! });
    expect(second.items[0]!._id).not.toBe(first.items[0]!._id);
    const stranger = await createCore(config(), {
      ...deps(),
      mongoClient: database.client,
      cursorSecret: Buffer.alloc(32, 1),
    });
    await expect(stranger.events.search({ cursor: first.next_cursor! })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    // A client passed in stays open for its owner.
    await a.close();
    expect(await b.health()).toEqual({ db: 'up' });
  });

  it('reports an unreachable database as unavailable, without the password', async () => {
    await expect(
      connectMongo('mongodb://aoc:hunter2@127.0.0.1:1/', { serverSelectionTimeoutMS: 300 }),
    ).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.not.stringContaining('hunter2') as string,
    });
  });
});
