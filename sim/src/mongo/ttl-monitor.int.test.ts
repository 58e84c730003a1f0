import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoSim, type MongoSim } from './server.js';

// The server's TTL monitor runs once a minute, too slow to wait for; this file checks the sim's own monitor
// on a sim started with a short interval, whatever MongoDB the rest of the suite runs against.
describe('sim TTL monitor', () => {
  let sim: MongoSim;
  let client: MongoClient;

  beforeAll(async () => {
    sim = await startMongoSim({ ttlIntervalMs: 50 });
    client = new MongoClient(sim.uri);
    await client.connect();
  });

  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it('expires documents on its timer, honoring a TTL changed by collMod', async () => {
    const c = client.db('ttl').collection('sessions');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 3600, name: 'at_ttl' });
    await c.insertMany([{ at: new Date(Date.now() - 60_000) }, { at: new Date(Date.now() + 3_600_000) }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await c.countDocuments()).toBe(2);
    await client
      .db('ttl')
      .command({ collMod: 'sessions', index: { name: 'at_ttl', expireAfterSeconds: 10 } });
    await expect.poll(() => c.countDocuments(), { timeout: 2000, interval: 50 }).toBe(1);
  });

  it('stays responsive to other clients while serving a long scan', async () => {
    const c = client.db('ttl').collection('big');
    await c.insertMany(Array.from({ length: 50_000 }, (_, i) => ({ i, s: `v${i}` })));
    const scan = c.find({ s: { $regex: '9$' } }).toArray();
    const started = Date.now();
    await client.db('admin').command({ ping: 1 });
    const pingMs = Date.now() - started;
    expect((await scan).length).toBe(5000);
    expect(pingMs).toBeLessThan(5000);
  });
});
