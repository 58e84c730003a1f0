import { useTestDatabase } from '@aoc/sim/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core.js';
import { makeEvent } from '../test-support/event-factory.js';
import { createTestCore } from '../test-support/test-core.js';
import type { NormalizedEvent } from './model.js';

const database = useTestDatabase('aoc_pages');
let core: Core;

const TOTAL = 10_000;
const BASE = Date.UTC(2024, 0, 1);
// Many events share a timestamp, so the `_id` tie-break is what keeps pages from overlapping.
const seed: NormalizedEvent[] = Array.from({ length: TOTAL }, (_, i) =>
  makeEvent({
    id: `seed-${i}`,
    timestamp: new Date(BASE + Math.floor(i / 7) * 60_000),
    service: i % 2 ? 'Exchange' : 'SharePoint',
  }),
);

beforeAll(async () => {
  core = await createTestCore(database);
  for (let i = 0; i < TOTAL; i += 2000) await core.events.upsert(seed.slice(i, i + 2000));
}, 120_000);

afterAll(async () => {
  await core.close();
});

describe('keyset pagination', () => {
  it('visits each of 10k events exactly once while new events keep arriving', async () => {
    const seen = new Map<string, number>();
    let previous: { timestamp: string; _id: string } | undefined;
    let cursor: string | undefined;
    let arrivals = 0;
    do {
      const [page] = await Promise.all([
        core.events.search({ page_size: 500, cursor }),
        // Concurrent writers: newer events, events inside the range already listed, and re-ingested seeds.
        core.events.upsert([
          makeEvent({ id: `new-${arrivals}`, timestamp: new Date(BASE + 10 * 365 * 86_400_000 + arrivals) }),
          makeEvent({
            id: `late-${arrivals}`,
            timestamp: new Date(BASE + ((arrivals * 7919) % TOTAL) * 8_000),
          }),
          seed[(arrivals * 211) % TOTAL]!,
        ]),
      ]);
      arrivals += 1;
      for (const item of page.items) {
        seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
        if (previous) {
          const ordered =
            item.timestamp < previous.timestamp ||
            (item.timestamp === previous.timestamp && item._id < previous._id);
          expect(ordered, `order broken at ${item.id}`).toBe(true);
        }
        previous = { timestamp: item.timestamp, _id: item._id };
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);

    const repeated = [...seen].filter(([, count]) => count > 1);
    expect(repeated).toEqual([]);
    const missing = seed.filter((event) => !seen.has(event.id));
    expect(missing.map((e) => e.id)).toEqual([]);
    expect(arrivals).toBeGreaterThanOrEqual(TOTAL / 500);
  }, 120_000);

  it('pages through a filtered listing the same way', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await core.events.search({ service: 'Exchange', page_size: 500, cursor });
      for (const item of page.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect([...seen].filter((id) => id.startsWith('seed-'))).toHaveLength(TOTAL / 2);
  }, 60_000);
});
