import { describe, expect, it } from 'vitest';
import { startMicrosoftSim } from './server.js';
import { call, feedRoot, getToken } from './test-support/client.js';
import { walkEverything } from './test-support/walk.js';

describe('a plain HTTP walk', () => {
  it('retrieves exactly the generated events of every source: 10,000 events over 7 days', async () => {
    const sim = await startMicrosoftSim({ seed: 42, events: 10_000, days: 7 });
    try {
      const started = Date.now();
      const walk = await walkEverything(sim, () => Date.now());
      const expected = sim.expectedIds();
      let total = 0;
      for (const [source, ids] of Object.entries(expected)) {
        expect(walk.ids[source], source).toEqual(ids);
        total += ids.size;
      }
      expect(total).toBe(10_000);
      expect(sim.generated().total).toBe(10_000);
      expect(walk.records).toBe(10_000);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(
        sim.requests.every((r) => r.service !== 'management' || r.query.PublisherIdentifier === sim.tenantId),
      ).toBe(true);
    } finally {
      await sim.stop();
    }
  });

  it('still yields every id once when records repeat across Graph pages and content blobs', async () => {
    const sim = await startMicrosoftSim({
      seed: 43,
      events: 3000,
      days: 3,
      knobs: { duplicateAcrossPages: true, duplicateAcrossBlobs: 0.2, graphPageSize: 50 },
    });
    try {
      const walk = await walkEverything(sim, () => Date.now());
      const expected = sim.expectedIds();
      for (const [source, ids] of Object.entries(expected)) expect(walk.ids[source], source).toEqual(ids);
      expect(walk.records).toBeGreaterThan(3000);
    } finally {
      await sim.stop();
    }
  });

  it('holds a million events without materializing them', async () => {
    const before = process.memoryUsage().heapUsed;
    const started = Date.now();
    const sim = await startMicrosoftSim({
      seed: 44,
      events: 1_000_000,
      days: 30,
      subscribed: ['Audit.Exchange'],
    });
    try {
      const graph = await getToken(sim, sim.urls.graph);
      const page = await call(`${sim.urls.graph}/v1.0/auditLogs/directoryAudits?$top=999`, graph);
      expect(page.body.value).toHaveLength(999);
      const management = await getToken(sim, sim.urls.management);
      const listing = await call(
        `${feedRoot(sim)}/subscriptions/content?contentType=Audit.Exchange`,
        management,
      );
      expect(listing.body.length).toBeGreaterThan(0);
      expect(sim.generated().total).toBe(1_000_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
    } finally {
      await sim.stop();
    }
  });
});
