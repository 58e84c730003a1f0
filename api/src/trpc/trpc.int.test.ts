import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import type { FetchProgress } from '@aoc/core';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import type { AppRouter } from './app-router.js';

const database = useTestDatabase('api_trpc');
let h: Harness;
let client: ReturnType<typeof createTRPCClient<AppRouter>>;

beforeAll(async () => {
  h = await startHarness(database, { events: 300 });
  const url = `${h.url}/trpc`;
  client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource }),
        false: httpBatchLink({ url }),
      }),
    ],
  });
});

afterAll(async () => {
  await h.close();
});

describe('tRPC through a real client', () => {
  it('streams fetch progress over SSE while a fetch runs, then lists what it stored', async () => {
    const seen: (FetchProgress | null)[] = [];
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const subscription = client.ingest.progress.subscribe(undefined, {
      onData: (progress) => {
        seen.push(progress);
        if (progress === null && seen.some((p) => p !== null)) resolveDone();
      },
    });
    // Let the subscription deliver its initial `null` before the run starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await client.ingest.fetch.mutate({ hours: 168 });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    subscription.unsubscribe();
    expect(result.count).toBeGreaterThan(0);
    expect(seen[0]).toBeNull();
    expect(seen.at(-1)).toBeNull();
    const running = seen.filter((p): p is FetchProgress => p !== null);
    expect(running.length).toBeGreaterThan(0);
    // However fast the run, watchers see how it ended: every source finished, every stored event counted.
    const last = Object.values(running.at(-1)!.sources);
    expect(last.map((source) => source.state)).toEqual(['done', 'done', 'done']);
    expect(last.reduce((sum, source) => sum + source.events_stored, 0)).toBe(result.count);

    const page = await client.events.search.query({ page_size: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.next_cursor).toEqual(expect.any(String));
  });

  it('edits tags and comments and reads filter options, summary and features', async () => {
    const { items } = await client.events.search.query({ page_size: 1 });
    const id = items[0]!._id;
    expect((await client.events.setTags.mutate({ id, tags: ['reviewed'] })).tags).toEqual(['reviewed']);
    const commented = await client.events.addComment.mutate({ id, text: 'fine' });
    expect(commented.comments.at(-1)).toMatchObject({ author: 'anonymous', text: 'fine' });
    expect(await client.events.get.query({ id })).toMatchObject({ _id: id, tags: ['reviewed'] });
    await expect(client.events.filterOptions.query()).resolves.toBeDefined();
    await expect(client.events.summary.query({ days: 7 })).resolves.toBeDefined();
    expect(await client.system.features.query()).toMatchObject({
      ai_features_enabled: true,
      demo_tenant: false,
    });
  });

  it('manages rules, previews a draft and lists alerts', async () => {
    const draft = { name: 'directory changes', conditions: { source: 'directory' as const } };
    const preview = await client.rules.preview.query({ rule: draft, days: 30 });
    expect(preview.count).toBeGreaterThan(0);
    const rule = await client.rules.create.mutate(draft);
    expect((await client.rules.list.query()).map((r) => r._id)).toContain(rule._id);
    const updated = await client.rules.update.mutate({
      id: rule._id,
      rule: { ...draft, severity: 'critical' },
    });
    expect(updated.severity).toBe('critical');
    expect(await client.rules.delete.mutate({ id: rule._id })).toEqual({ deleted: true, id: rule._id });
    await expect(client.alerts.list.query({ page_size: 5 })).resolves.toMatchObject({
      items: expect.any(Array),
    });
    const empty = await client.rules.create.mutate({ name: 'x', conditions: {} }).catch((e: unknown) => e);
    expect((empty as TRPCClientError<AppRouter>).data).toMatchObject({
      appCode: 'VALIDATION',
      httpStatus: 400,
    });
  });

  it('reports errors with the same codes as REST', async () => {
    const bad = await client.events.search.query({ start: 'yesterday' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCClientError);
    const data = (bad as TRPCClientError<AppRouter>).data;
    expect(data).toMatchObject({ appCode: 'VALIDATION', httpStatus: 400, code: 'BAD_REQUEST' });
    expect((bad as Error).message).toContain('start');
    const missing = await client.events.get
      .query({ id: '000000000000000000000000' })
      .catch((e: unknown) => e);
    expect((missing as TRPCClientError<AppRouter>).data).toMatchObject({
      appCode: 'NOT_FOUND',
      httpStatus: 404,
    });
    const operator = await client.events.setTags
      .mutate({ id: '000000000000000000000000', tags: [{ $gt: '' }] as unknown as string[] })
      .catch((e: unknown) => e);
    expect((operator as TRPCClientError<AppRouter>).data).toMatchObject({ appCode: 'VALIDATION' });
  });
});
