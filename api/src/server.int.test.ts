import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, silentLogger } from '@aoc/core';
import { useTestDatabase } from '@aoc/sim/testing';
import { startServer } from './server.js';
import type { RunningServer } from './server.js';
import { json } from './test-support/json.js';

const database = useTestDatabase('api_server');
let running: RunningServer;
let webDist: string;

beforeAll(async () => {
  webDist = mkdtempSync(join(tmpdir(), 'aoc-web-'));
  mkdirSync(join(webDist, 'assets'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>AOC console</title><div id="app"></div>');
  writeFileSync(join(webDist, 'assets', 'app-1234.js'), 'console.log("aoc")');
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'silent',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
  });
  running = await startServer({
    config: { ...config, server: { ...config.server, port: 0 } },
    env: {},
    log: silentLogger(),
    webDist,
  });
});

afterAll(async () => {
  await running.shutdown('test end');
});

describe('aoc serve', () => {
  it('ingests the demo tenant on first start, so the console has events at once', async () => {
    expect(running.demoTenant).toBe(true);
    await running.initialIngest;
    const page = await json(await fetch(`${running.url}/api/events?page_size=5`));
    expect(page.items).toHaveLength(5);
    expect(await json(await fetch(`${running.url}/api/config/features`))).toMatchObject({
      demo_tenant: true,
    });
  });

  it('serves the console with an SPA fallback, long-cached assets, and JSON 404s for API paths', async () => {
    const index = await fetch(`${running.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('AOC console');
    const deep = await fetch(`${running.url}/events/abc?service=Exchange`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(await deep.text()).toContain('AOC console');
    const asset = await fetch(`${running.url}/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    await asset.body?.cancel();
    const api = await fetch(`${running.url}/api/does-not-exist`);
    expect(api.status).toBe(404);
    expect((await json(api)).error.code).toBe('NOT_FOUND');
  });

  it('shuts down gracefully: SSE streams end, the port closes, and it finishes well within 10 s', async () => {
    const sse = await fetch(`${running.url}/trpc/ingest.progress`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(sse.status).toBe(200);
    const reader = sse.body!.getReader();
    await reader.read();
    const started = Date.now();
    const drained = (async () => {
      for (;;) {
        const { done } = await reader.read();
        if (done) return true;
      }
    })();
    // An idle keep-alive connection (the earlier requests left some) must not hold the shutdown up.
    await running.shutdown('test');
    expect(await drained).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });
});
