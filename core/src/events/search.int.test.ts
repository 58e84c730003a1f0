import { useTestDatabase } from '@aoc/sim/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core.js';
import { makeEvent } from '../test-support/event-factory.js';
import { createTestCore } from '../test-support/test-core.js';
import type { NormalizedEvent } from './model.js';

const database = useTestDatabase('aoc_search');
let core: Core;

const at = (day: number) => new Date(Date.UTC(2024, 4, day, 10, 0, 0));

const mailbox = makeEvent({
  source: 'unified',
  content_type: 'Audit.Exchange',
  timestamp: at(1),
  service: 'Exchange',
  operation: 'Set-Mailbox',
  result: 'Succeeded',
  actor_display: 'Alice.Admin@contoso.com',
  target_displays: ['ceo@contoso.com'],
  extraRaw: { Parameters: [{ Name: 'ForwardingSmtpAddress', Value: 'smtp:attacker@evil.com' }] },
});
const reset = makeEvent({
  timestamp: at(2),
  service: 'Core Directory',
  operation: 'Reset user password',
  actor_display: 'bob@contoso.com',
  target_displays: ['carol@contoso.com'],
  display_summary: 'bob@contoso.com reset the password of carol@contoso.com',
});
const download = makeEvent({
  source: 'unified',
  timestamp: at(3),
  service: 'SharePoint',
  operation: 'FileDownloaded',
  actor_display: 'Smith, Jane',
  target_displays: ['budget.xlsx'],
});
const wipe = makeEvent({
  source: 'intune',
  timestamp: at(4),
  service: 'Intune',
  operation: 'Delete ManagedDevice',
  result: 'failure',
  actor_display: 'System',
  target_displays: ['LAPTOP-42'],
});
const odd = makeEvent({
  timestamp: at(5),
  operation: 'Update policy',
  actor_display: 'dave@contoso.com',
  target_displays: ['Default Policy'],
  extraRaw: { note: '{"$gt": ""}', pattern: '(ab+)+$x' },
});
const all: NormalizedEvent[] = [mailbox, reset, download, wipe, odd];

async function ids(input: NonNullable<Parameters<Core['events']['search']>[0]>): Promise<string[]> {
  const page = await core.events.search({ page_size: 500, ...input });
  return page.items.map((item) => item.id);
}

beforeAll(async () => {
  core = await createTestCore(database);
  await core.events.upsert(all);
  const stored = await core.events.search({ search: 'budget.xlsx' });
  await core.events.setTags(stored.items[0]!._id, ['investigating']);
});

afterAll(async () => {
  await core.close();
});

describe('searchEvents filters', () => {
  it('lists everything newest first as API events', async () => {
    const page = await core.events.search();
    expect(page.items.map((item) => item.id)).toEqual([odd, wipe, download, reset, mailbox].map((e) => e.id));
    expect(page.next_cursor).toBeNull();
    const first = page.items[0]!;
    expect(first._id).toMatch(/^[0-9a-f]{24}$/);
    expect(first.timestamp).toBe('2024-05-05T10:00:00.000Z');
    expect(first).not.toHaveProperty('search_terms');
  });

  it('filters by service, operation, result and source, one or several values', async () => {
    expect(await ids({ service: 'Exchange' })).toEqual([mailbox.id]);
    expect(await ids({ service: 'Exchange,SharePoint' })).toEqual([download.id, mailbox.id]);
    expect(await ids({ service: ['Intune', 'SharePoint'] })).toEqual([wipe.id, download.id]);
    expect(await ids({ operation: 'Reset user password' })).toEqual([reset.id]);
    expect(await ids({ result: 'failure' })).toEqual([wipe.id]);
    expect(await ids({ source: 'unified' })).toEqual([download.id, mailbox.id]);
    expect(await ids({ service: 'exchange' })).toEqual([]);
  });

  it('matches the actor by display name, exactly but without case', async () => {
    expect(await ids({ actor: 'alice.admin@CONTOSO.com' })).toEqual([mailbox.id]);
    expect(await ids({ actor: 'Smith, Jane' })).toEqual([download.id]);
    expect(await ids({ actor: 'alice' })).toEqual([]);
    expect(await ids({ actor: ['System', 'bob@contoso.com'] })).toEqual([wipe.id, reset.id]);
  });

  it('matches an entity by the start of the actor or a target', async () => {
    expect(await ids({ entity: 'carol' })).toEqual([reset.id]);
    expect(await ids({ entity: 'BOB@' })).toEqual([reset.id]);
    expect(await ids({ entity: 'laptop-42' })).toEqual([wipe.id]);
  });

  it('bounds the time range inclusively', async () => {
    expect(await ids({ start: at(2).toISOString(), end: at(3).toISOString() })).toEqual([
      download.id,
      reset.id,
    ]);
    expect(await ids({ start: '2024-05-04' })).toEqual([odd.id, wipe.id]);
    expect(await ids({ end: '2024-05-01T10:00:00Z' })).toEqual([mailbox.id]);
  });

  it('filters by tag', async () => {
    expect(await ids({ tags: 'investigating' })).toEqual([download.id]);
    expect(await ids({ tags: 'false_positive' })).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await ids({ source: 'unified', result: 'Succeeded', search: 'mailbox' })).toEqual([mailbox.id]);
  });
});

describe('searchEvents free text', () => {
  it('finds any address in the raw record, e.g. a forwarding address set by Set-Mailbox', async () => {
    expect(await ids({ search: 'attacker@evil.com' })).toEqual([mailbox.id]);
    expect(await ids({ search: 'evil.com' })).toEqual([mailbox.id]);
    expect(await ids({ search: 'ForwardingSmtpAddress' })).toEqual([mailbox.id]);
  });

  it('requires every word, and takes the last one as a prefix while it is typed', async () => {
    expect(await ids({ search: 'reset carol' })).toEqual([reset.id]);
    expect(await ids({ search: 'reset dave' })).toEqual([]);
    expect(await ids({ search: 'attack' })).toEqual([mailbox.id]);
    expect(await ids({ search: 'attack ' })).toEqual([]);
    expect(await ids({ search: 'budget.xl' })).toEqual([download.id]);
    expect(await ids({ search: 'RESET Carol' })).toEqual([reset.id]);
  });

  it('matches quoted phrases verbatim', async () => {
    expect(await ids({ search: '"reset the password"' })).toEqual([reset.id]);
    expect(await ids({ search: '"password reset"' })).toEqual([]);
  });

  it('treats operators and regex syntax in the text as literals', async () => {
    expect(await ids({ search: '{"$gt": ""}' })).toEqual([odd.id]);
    const started = Date.now();
    expect(await ids({ search: '"(ab+)+$x"' })).toEqual([odd.id]);
    expect(await ids({ search: '"(ab+)+$y"' })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await ids({ search: '.*' })).toHaveLength(all.length);
  });
});

describe('searchEvents pages and bad input', () => {
  it('pages with an opaque cursor until next_cursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await core.events.search({ page_size: 2, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([odd, wipe, download, reset, mailbox].map((e) => e.id));
  });

  it('clamps page_size like the original', async () => {
    const one = await core.events.search({ page_size: '0' });
    expect(one.items).toHaveLength(1);
    expect(one.next_cursor).not.toBeNull();
    expect((await core.events.search({ page_size: '9999' })).items).toHaveLength(all.length);
  });

  it('rejects operators, bad dates, bad numbers and tampered cursors with a validation error', async () => {
    const page = await core.events.search({ page_size: 1 });
    const cursor = page.next_cursor!;
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    const bad: unknown[] = [
      { service: { $gt: '' } },
      { actor: { $regex: '.*' } },
      { $where: 'sleep(100)' },
      { start: 'last tuesday' },
      { page_size: 'all' },
      { cursor: tampered },
      { cursor: 'not-a-cursor' },
      { source: 'elsewhere' },
    ];
    for (const input of bad) {
      await expect(core.events.search(input as never), JSON.stringify(input)).rejects.toMatchObject({
        code: 'VALIDATION',
      });
    }
  });
});
