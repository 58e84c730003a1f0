import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmSim } from '@aoc/sim';
import type { LlmSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import type { NormalizedEvent } from '@aoc/core';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { json as body } from '../test-support/json.js';
import type { AppRouter } from '../trpc/app-router.js';

const database = useTestDatabase('api_ai');
let llm: LlmSim;
let on: Harness;
let off: Harness;

function event(n: number): NormalizedEvent {
  const raw = {
    id: `ai-${n}`,
    activityDisplayName: 'Update conditional access policy',
    targetResources: [
      {
        displayName: 'Block legacy auth',
        modifiedProperties: [{ displayName: 'State', oldValue: '"enabled"', newValue: '"disabled"' }],
      },
    ],
  };
  return {
    id: `ai-${n}`,
    source: 'directory',
    timestamp: new Date(Date.now() - n * 3_600_000),
    service: 'Policies',
    operation: 'Update conditional access policy',
    result: 'success',
    actor_display: 'alice@contoso.com',
    target_displays: ['Block legacy auth'],
    display_summary: 'alice@contoso.com updated Block legacy auth',
    dedupe_key: `directory:ai-${n}`,
    actor: { user: { userPrincipalName: 'alice@contoso.com' } },
    targets: [],
    raw,
    raw_text: JSON.stringify(raw),
    search_terms: ['conditional', 'access', 'policy', 'alice@contoso.com'],
  };
}

function trpc(h: Harness) {
  return createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${h.url}/trpc` })] });
}

const post = (h: Harness, path: string, payload?: unknown) =>
  h.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload ?? {}),
  });

beforeAll(async () => {
  llm = await startLlmSim();
  const env = {
    LLM_API_KEY: llm.apiKey,
    LLM_BASE_URL: llm.url,
    LLM_MODEL: 'gpt-api-test',
    LLM_MAX_EVENTS: '3',
  };
  on = await startHarness(database, { events: 1, env });
  off = await startHarness(database, { events: 1, env: { ...env, AI_FEATURES_ENABLED: 'false' } });
  await on.core.events.upsert([1, 2, 3, 4, 5].map(event));
});

afterAll(async () => {
  await on.close();
  await off.close();
  await llm.stop();
});

describe('AI over REST and tRPC', () => {
  it('POST /api/ask answers with cited events, the filters used and the counts', async () => {
    const res = await post(on, '/api/ask', { question: 'conditional access changes in the last 2 days' });
    expect(res.status).toBe(200);
    const answer = await body(res);
    expect(answer).toMatchObject({ model: 'gpt-api-test', total_matched: 5, truncated: true });
    expect(answer.events).toHaveLength(3);
    expect(answer.query.operation).toEqual(['Update conditional access policy']);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(llm.requests.at(-1)?.body).toMatchObject({ model: 'gpt-api-test' });
  });

  it('POST /api/ask refuses a bad question with 400', async () => {
    const res = await post(on, '/api/ask', { question: '' });
    expect(res.status).toBe(400);
    expect((await body(res)).error.code).toBe('VALIDATION');
  });

  it('POST /api/events/{id}/explain explains one event, and 404s an unknown one', async () => {
    const [first] = (await on.core.events.search({ actor: 'alice@contoso.com' })).items;
    const res = await post(on, `/api/events/${first!._id}/explain`);
    expect(res.status).toBe(200);
    const explained = await body(res);
    expect(explained).toMatchObject({ event_id: first!._id, model: 'gpt-api-test' });
    expect(explained.changes).toEqual([
      { property: 'State', old: 'enabled', new: 'disabled', target: 'Block legacy auth' },
    ]);
    expect((await post(on, '/api/events/aaaaaaaaaaaaaaaaaaaaaaaa/explain')).status).toBe(404);
  });

  it('tRPC ai.ask and ai.explain call the same verbs', async () => {
    const client = trpc(on);
    const answer = await client.ai.ask.mutate({
      question: 'what changed?',
      filters: { actor: 'alice@contoso.com' },
    });
    expect(answer.query.actor).toEqual(['alice@contoso.com']);
    expect(answer.events.length).toBeGreaterThan(0);
    const explained = await client.ai.explain.mutate({ id: answer.events[0]!._id });
    expect(explained.event_id).toBe(answer.events[0]!._id);
  });

  it('AI_FEATURES_ENABLED=false: 404 on REST, NOT_FOUND on tRPC, reported by /api/config/features', async () => {
    const before = llm.requests.length;
    expect((await post(off, '/api/ask', { question: 'anything?' })).status).toBe(404);
    expect((await post(off, '/api/events/aaaaaaaaaaaaaaaaaaaaaaaa/explain')).status).toBe(404);
    const error = await trpc(off)
      .ai.ask.mutate({ question: 'anything?' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
    expect((await body(await off.request('/api/config/features'))).ai_features_enabled).toBe(false);
    expect((await body(await on.request('/api/config/features'))).ai_features_enabled).toBe(true);
    expect(llm.requests.length).toBe(before);
  });
});
