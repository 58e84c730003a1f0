import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import type { Source } from '../events/model.js';
import { expectedBySource, startHarness } from '../test-support/ingest-harness.js';
import type { Harness } from '../test-support/ingest-harness.js';

const database = useTestDatabase('aoc_ingest');
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(options: Parameters<typeof startHarness>[3] = {}): Promise<Harness> {
  harness = await startHarness(database.db, database.name, database.uri, options);
  return harness;
}

function expectExactly(
  stored: Record<Source, string[]>,
  expected: Record<Source, Set<string>>,
  sources: Source[],
) {
  for (const source of sources) {
    expect(stored[source].length, `${source} stored once each`).toBe(new Set(stored[source]).size);
    expect(new Set(stored[source]), `${source} ids`).toEqual(expected[source]);
  }
}

const GRAPH: Source[] = ['directory', 'intune'];

describe('runFetch against the sim cloud (Graph sources)', () => {
  it('stores exactly the generated set, then a second fetch adds nothing, then late events are picked up', async () => {
    const h = await start({ sim: { events: 3000 } });
    const first = await h.ingest.runFetch({ sources: GRAPH });
    expect(first.warnings).toEqual([]);
    const expected = expectedBySource(h.sim);
    expectExactly(await h.storedIds(), expected, GRAPH);
    expect(first.inserted).toBe(expected.directory.size + expected.intune.size);
    expect(first.per_source.directory?.status).toBe('ok');

    const second = await h.ingest.runFetch({ sources: GRAPH });
    expect(second.inserted).toBe(0);

    const late = h.sim.addEvents(40, { lateByHours: 0, sources: ['directoryAudits', 'intuneAuditEvents'] });
    const third = await h.ingest.runFetch({ sources: GRAPH });
    expect(third.inserted).toBe(late.length);
    expectExactly(await h.storedIds(), expectedBySource(h.sim), GRAPH);

    const health = await h.ingest.sourceHealth();
    const directory = health.find((entry) => entry.source === 'directory');
    expect(directory?.status).toBe('ok');
    expect(directory?.last_success_at).toBeInstanceOf(Date);
  });
});
