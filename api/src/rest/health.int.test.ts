import { describe, expect, it } from 'vitest';
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import { startMongoSim } from '@aoc/sim';
import { createApp } from '../app.js';
import { json } from '../test-support/json.js';

describe('/health', () => {
  it('answers 200 while the database answers, 503 once it is gone, and 503 while stopping', async () => {
    const mongo = await startMongoSim({});
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGO_URI: mongo.uri,
      MONGO_DB: 'health_check',
      TENANT_ID: '00000000-0000-0000-0000-000000000001',
      CLIENT_ID: 'health',
      CLIENT_SECRET: 'health',
    });
    const core = await createCore(config, { log: silentLogger() });
    let stopping = false;
    const app = createApp(core, config, { version: '9.9.9', isShuttingDown: () => stopping });
    try {
      const up = await app.request('/health');
      expect(up.status).toBe(200);
      expect(await json(up)).toMatchObject({
        status: 'ok',
        db: 'up',
        version: '9.9.9',
        uptime_seconds: expect.any(Number),
      });

      stopping = true;
      const draining = await app.request('/health');
      expect(draining.status).toBe(503);
      expect((await json(draining)).status).toBe('stopping');
      stopping = false;

      await mongo.stop();
      const down = await app.request('/health');
      expect(down.status).toBe(503);
      expect(await json(down)).toMatchObject({ status: 'degraded', db: 'down' });
      // Routes that need no database keep answering.
      expect((await app.request('/api/version')).status).toBe(200);
    } finally {
      await core.close();
    }
  });
});
