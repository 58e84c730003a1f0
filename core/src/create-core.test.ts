import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { createCore } from './create-core.js';
import { silentLogger } from './logger.js';

describe('createCore', () => {
  it('refuses to start without a database URI', async () => {
    await expect(createCore(loadConfig({}), { log: silentLogger() })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining('MONGO_URI') as string,
    });
  });
});
