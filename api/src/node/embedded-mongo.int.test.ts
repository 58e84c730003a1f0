import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { DryMongoBinary } from 'mongodb-memory-server-core';
import pino from 'pino';
import { startEmbeddedMongo } from './embedded-mongo.js';

const cachedBinary = await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions());

describe('embedded database', () => {
  it.skipIf(cachedBinary !== undefined)(
    'falls back to the sim server at once when no mongod can be had, and says so loudly',
    async () => {
      const lines: { level: number; msg: string }[] = [];
      const log = pino(
        { level: 'info' },
        { write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }) },
      );
      const started = Date.now();
      // A download host that refuses connections: the machine is as good as offline.
      const mongo = await startEmbeddedMongo({ log, env: { MONGOMS_DOWNLOAD_MIRROR: 'http://127.0.0.1:9' } });
      try {
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(mongo.kind).toBe('sim');
        expect(lines.some((l) => l.level === 40 && l.msg.includes('DATA WILL NOT SURVIVE A RESTART'))).toBe(
          true,
        );
        const client = new MongoClient(mongo.uri);
        try {
          await expect(client.db('x').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
        } finally {
          await client.close();
        }
      } finally {
        await mongo.stop();
      }
    },
  );
});
