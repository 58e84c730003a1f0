import { useTestDatabase } from '@aoc/sim/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core.js';
import { makeEvent } from '../test-support/event-factory.js';
import { createTestCore } from '../test-support/test-core.js';

const database = useTestDatabase('aoc_aggregates');
let core: Core;
let now = new Date('2024-05-08T00:00:00Z');
const hour = (h: number) => new Date(Date.UTC(2024, 4, 7, h, 15));

const events = [
  makeEvent({
    timestamp: hour(1),
    service: 'Exchange',
    operation: 'Set-Mailbox',
    actor_display: 'alice@contoso.com',
    source: 'unified',
  }),
  makeEvent({
    timestamp: hour(1),
    service: 'Exchange',
    operation: 'New-InboxRule',
    actor_display: 'alice@contoso.com',
    source: 'unified',
  }),
  makeEvent({
    timestamp: hour(3),
    service: 'Exchange',
    operation: 'Set-Mailbox',
    actor_display: 'bob@contoso.com',
    source: 'unified',
  }),
  makeEvent({
    timestamp: hour(5),
    service: 'Core Directory',
    operation: 'Add user',
    result: 'failure',
    actor_display: '=cmd|calc',
  }),
  makeEvent({
    timestamp: new Date('2024-04-01T00:00:00Z'),
    service: 'Intune',
    operation: 'Wipe',
    source: 'intune',
    actor_display: 'System',
  }),
];

beforeAll(async () => {
  core = await createTestCore(database, { deps: { clock: () => now } });
  await core.events.upsert(events);
  const first = (await core.events.search({ operation: 'New-InboxRule' })).items[0]!;
  await core.events.setTags(first._id, ['investigating']);
  await core.events.addComment(first._id, { author: 'ann', text: '@SUM(1+1)' });
});

afterAll(async () => {
  await core.close();
});

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('filterOptions', () => {
  it('lists distinct values with counts, most frequent first', async () => {
    const options = await core.events.filterOptions();
    expect(options.services).toEqual([
      { value: 'Exchange', count: 3 },
      { value: 'Core Directory', count: 1 },
      { value: 'Intune', count: 1 },
    ]);
    expect(options.operations[0]).toEqual({ value: 'Set-Mailbox', count: 2 });
    expect(options.actors[0]).toEqual({ value: 'alice@contoso.com', count: 2 });
    expect(options.sources).toContainEqual({ value: 'unified', count: 3 });
    expect(options.results).toContainEqual({ value: 'failure', count: 1 });
    expect(options.tags).toEqual([{ value: 'investigating', count: 1 }]);
  });

  it('is cached for 30 s', async () => {
    await core.events.upsert([makeEvent({ service: 'Teams' })]);
    expect((await core.events.filterOptions()).services.map((s) => s.value)).not.toContain('Teams');
    now = new Date(now.getTime() + 31_000);
    expect((await core.events.filterOptions()).services.map((s) => s.value)).toContain('Teams');
  });
});

describe('summary', () => {
  it('counts by field over the last days with an hourly histogram for a day', async () => {
    const summary = await core.events.summary({ start: '2024-05-07T00:00:00Z', end: '2024-05-07T23:59:59Z' });
    expect(summary.total).toBe(4);
    expect(summary.by_service).toEqual([
      { value: 'Exchange', count: 3 },
      { value: 'Core Directory', count: 1 },
    ]);
    expect(summary.by_operation[0]).toEqual({ value: 'Set-Mailbox', count: 2 });
    expect(summary.by_result).toContainEqual({ value: 'failure', count: 1 });
    expect(summary.by_actor[0]).toEqual({ value: 'alice@contoso.com', count: 2 });
    expect(summary.histogram.bucket).toBe('hour');
    expect(summary.histogram.buckets).toHaveLength(24);
    expect(summary.histogram.buckets[1]).toEqual({ start: '2024-05-07T01:00:00.000Z', count: 2 });
    expect(summary.histogram.buckets[2]).toEqual({ start: '2024-05-07T02:00:00.000Z', count: 0 });
    expect(summary.histogram.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(4);
  });

  it('counts by source and by tag, each tag of an event counted once, untagged events left out', async () => {
    const bob = (await core.events.search({ actor: 'bob@contoso.com' })).items[0]!;
    await core.events.setTags(bob._id, ['escalated', 'investigating']);
    const range = { start: '2024-05-07T00:00:00Z', end: '2024-05-07T23:59:59Z' };
    const summary = await core.events.summary(range);
    expect(summary.by_source).toEqual([
      { value: 'unified', count: 3 },
      { value: 'directory', count: 1 },
    ]);
    expect(summary.by_tag).toEqual([
      { value: 'investigating', count: 2 },
      { value: 'escalated', count: 1 },
    ]);
    const tagged = await core.events.summary({ ...range, filters: { tags: 'escalated' } });
    expect(tagged.total).toBe(1);
    expect(tagged.by_tag).toEqual([
      { value: 'escalated', count: 1 },
      { value: 'investigating', count: 1 },
    ]);
    expect((await core.events.summary({ ...range, top: 1 })).by_tag).toEqual([
      { value: 'investigating', count: 2 },
    ]);
    await core.events.setTags(bob._id, []);
  });

  it('defaults to the last 7 days before now, in daily buckets, and applies filters and top', async () => {
    now = new Date('2024-05-08T00:00:00Z');
    const summary = await core.events.summary({ filters: { service: 'Exchange' }, top: 1 });
    expect(summary.start).toBe('2024-05-01T00:00:00.000Z');
    expect(summary.total).toBe(3);
    expect(summary.by_operation).toEqual([{ value: 'Set-Mailbox', count: 2 }]);
    expect(summary.histogram.bucket).toBe('day');
    expect(summary.histogram.buckets.find((b) => b.start === '2024-05-07T00:00:00.000Z')?.count).toBe(3);
    expect((await core.events.summary({ days: 60 })).total).toBe(6);
  });

  it('uses weekly buckets starting on Mondays for a year', async () => {
    const summary = await core.events.summary({ days: 365 });
    expect(summary.histogram.bucket).toBe('week');
    for (const bucket of summary.histogram.buckets) expect(new Date(bucket.start).getUTCDay()).toBe(1);
    expect(summary.histogram.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(summary.total);
  });

  it('refuses bad input', async () => {
    await expect(core.events.summary({ start: 'soon' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(core.events.summary({ filters: { actor: { $ne: 1 } } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});

describe('export', () => {
  it('streams CSV with formula-safe cells', async () => {
    const out = core.events.export({ service: 'Exchange,Core Directory', format: 'csv' });
    expect(out.contentType).toContain('text/csv');
    expect(out.filename).toMatch(/^aoc-events-.*\.csv$/);
    const lines = (await collect(out)).trim().split('\n');
    expect(lines[0]).toBe(
      '_id,timestamp,source,service,operation,result,actor,targets,summary,tags,comments,source_id',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(",'=cmd|calc,");
    expect(lines.find((line) => line.includes('New-InboxRule'))).toContain('investigating');
    expect(lines.join('\n')).not.toMatch(/,[=+@-]/);
  });

  it('streams NDJSON of full API events, newest first, up to the limit', async () => {
    const out = core.events.export({ format: 'ndjson', limit: 2 });
    const rows = (await collect(out))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { _id: string; timestamp: string; raw: unknown });
    expect(rows).toHaveLength(2);
    expect(rows[0]!._id).toMatch(/^[0-9a-f]{24}$/);
    expect(rows[0]!.raw).toBeDefined();
    expect(rows[0]!.timestamp >= rows[1]!.timestamp).toBe(true);
  });

  it('validates before streaming', () => {
    expect(() => core.events.export({ format: 'xlsx' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    );
    expect(() => core.events.export({ start: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
