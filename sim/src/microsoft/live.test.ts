import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES } from './sources.js';
import { startMicrosoftSim } from './server.js';
import { call, feedRoot, getToken, listAllContent, type Json } from './test-support/client.js';

describe('live demo traffic', () => {
  it('keeps adding recent events to every kind of source while running', async () => {
    const sim = await startMicrosoftSim({
      seed: 21,
      events: 200,
      liveEvents: { everyMs: 100, count: 30 },
      subscribed: CONTENT_TYPES,
    });
    try {
      const startedAt = Date.now();
      await sleep(450);
      const { total, bySource } = sim.generated();
      expect(total).toBeGreaterThanOrEqual(200 + 3 * 30);
      expect(bySource.directoryAudits).toBeGreaterThan(58);
      const graph = await getToken(sim, sim.urls.graph);
      const recent = encodeURIComponent(`activityDateTime ge ${new Date(startedAt - 200).toISOString()}`);
      const page = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$filter=${recent}`, graph);
      expect(page.body.value.length).toBeGreaterThan(0);
      const management = await getToken(sim, sim.urls.management);
      const { entries } = await listAllContent(
        `${feedRoot(sim)}/subscriptions/content?contentType=Audit.Exchange`,
        management,
      );
      const fresh = entries.filter((e: Json) => Date.parse(String(e.contentCreated)) >= startedAt);
      expect(fresh.length).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });
});
