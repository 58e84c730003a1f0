import { useTestDatabase } from '@aoc/sim/testing';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../create-core.js';
import { makeEvent } from '../test-support/event-factory.js';
import { createTestCore } from '../test-support/test-core.js';

const database = useTestDatabase('aoc_edit');
let core: Core;
let now = new Date('2024-06-01T08:00:00Z');
const event = makeEvent({ id: 'source-id-1' });
let id: string;

beforeAll(async () => {
  core = await createTestCore(database, { deps: { clock: () => now } });
  await core.events.upsert([event, makeEvent()]);
  id = (await core.events.search({ search: 'source-id-1' })).items[0]!._id;
});

afterAll(async () => {
  await core.close();
});

describe('getEvent', () => {
  it('returns the event by its _id string, with ISO dates', async () => {
    const found = await core.events.get(id);
    expect(found._id).toBe(id);
    expect(found.id).toBe('source-id-1');
    expect(found.timestamp).toBe(event.timestamp.toISOString());
    expect(found.raw).toEqual(event.raw);
  });

  it("also accepts the source record's id, as the original's clients may send it", async () => {
    expect((await core.events.get('source-id-1'))._id).toBe(id);
  });

  it('answers NotFound for unknown ids and Validation for bad ones', async () => {
    await expect(core.events.get(new ObjectId().toHexString())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.events.get('no-such-event')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(core.events.get('')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(core.events.get({ $ne: null } as never)).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('setTags', () => {
  it('replaces the tags with the cleaned list and returns the updated event', async () => {
    const updated = await core.events.setTags(id, [' investigating ', 'investigating', '', 'vip']);
    expect(updated.tags).toEqual(['investigating', 'vip']);
    expect((await core.events.get(id)).tags).toEqual(['investigating', 'vip']);
    expect((await core.events.setTags(id, [])).tags).toEqual([]);
  });

  it('refuses bad tags and unknown events', async () => {
    await expect(core.events.setTags(id, ['x'.repeat(65)])).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      core.events.setTags(
        id,
        Array.from({ length: 51 }, (_, i) => `t${i}`),
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(core.events.setTags(id, [{ $set: 1 }] as never)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(core.events.setTags(new ObjectId().toHexString(), ['a'])).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('addComment', () => {
  it('appends comments stamped by the core clock', async () => {
    await core.events.addComment(id, { author: 'ann@contoso.com', text: 'Looks like a forwarding rule.' });
    now = new Date('2024-06-01T09:30:00Z');
    const updated = await core.events.addComment(id, { author: 'bob@contoso.com', text: ' confirmed ' });
    expect(updated.comments).toEqual([
      { author: 'ann@contoso.com', text: 'Looks like a forwarding rule.', at: '2024-06-01T08:00:00.000Z' },
      { author: 'bob@contoso.com', text: 'confirmed', at: '2024-06-01T09:30:00.000Z' },
    ]);
  });

  it('refuses empty or oversized text and unknown events', async () => {
    await expect(core.events.addComment(id, { author: 'ann', text: '  ' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(core.events.addComment(id, { author: 'ann', text: 'x'.repeat(4001) })).rejects.toMatchObject(
      {
        code: 'VALIDATION',
      },
    );
    await expect(core.events.addComment('nope', { author: 'ann', text: 'hi' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('keeps tags and comments when the same record is ingested again', async () => {
    await core.events.setTags(id, ['keep-me']);
    const again = await core.events.upsert([{ ...event, display_summary: 'refreshed' }]);
    expect(again).toMatchObject({ inserted: 0, updated: 1 });
    const stored = await core.events.get(id);
    expect(stored.tags).toEqual(['keep-me']);
    expect(stored.comments).toHaveLength(2);
    expect(stored.display_summary).toBe('refreshed');
  });
});
