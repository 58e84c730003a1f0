import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@aoc/sim/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core.js';
import { createMappingsProvider } from '../mappings/mappings-provider.js';
import { normalizeEvent } from '../normalize/normalize-event.js';
import { createTestCore } from '../test-support/test-core.js';
import type { NormalizedEvent, Source } from './model.js';

// The real Microsoft payloads of ../shared/samples, when this checkout has them (see SOURCES.md there).
const SAMPLES = fileURLToPath(new URL('../../../../shared/samples/', import.meta.url));
const database = useTestDatabase('aoc_samples');
let core: Core;

function sourceOf(file: string): Source {
  if (file.startsWith('mgmt_')) return 'unified';
  return file.includes('intune') ? 'intune' : 'directory';
}

function records(file: string): Record<string, unknown>[] {
  const text = readFileSync(`${SAMPLES}${file}`, 'utf8');
  if (file.endsWith('.json')) return JSON.parse(text) as Record<string, unknown>[];
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function corpus(): NormalizedEvent[] {
  const mappings = createMappingsProvider(undefined).get();
  return readdirSync(SAMPLES)
    .filter((file) => file.endsWith('.ndjson') || file.startsWith('mgmt_content_blob'))
    .flatMap((file) => records(file).map((raw) => normalizeEvent(raw, sourceOf(file), { mappings })));
}

describe.skipIf(!existsSync(SAMPLES))('the sample corpus end to end', () => {
  let events: NormalizedEvent[] = [];

  beforeAll(async () => {
    core = await createTestCore(database);
    events = corpus();
  });

  afterAll(async () => {
    await core?.close();
  });

  it('stores each record once, however often it is ingested', async () => {
    const keys = new Set(events.map((event) => event.dedupe_key));
    expect((await core.events.upsert(events)).inserted).toBe(keys.size);
    expect(await core.events.upsert(events)).toMatchObject({ inserted: 0, updated: keys.size });
    expect(await core.db.collection('events').countDocuments()).toBe(keys.size);
  });

  it('finds every stored event by its source id, its actor, and a value deep in its raw record', async () => {
    const stored = (await core.events.search({ page_size: 500 })).items;
    expect(stored.length).toBeGreaterThan(20);
    for (const event of stored) {
      const bySourceId = await core.events.search({ search: `${event.id} `, page_size: 500 });
      expect(
        bySourceId.items.map((item) => item._id),
        `search ${event.id}`,
      ).toContain(event._id);
      const byActor = await core.events.search({ actor: event.actor_display.toUpperCase(), page_size: 500 });
      expect(
        byActor.items.map((item) => item._id),
        `actor ${event.actor_display}`,
      ).toContain(event._id);
    }
    const quarantine = await core.events.search({ search: 'QuarantineOrgShard' });
    expect(quarantine.items.map((item) => item.operation)).toContain('Set-Mailbox');
  });
});
