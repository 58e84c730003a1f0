import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlmSim } from '@aoc/sim';
import type { LlmSim, LlmStep } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { printFigure, probe } from './http-probe.test-helpers.js';

/**
 * The language model slow past its timeout, failing, dropping connections, or gone: ask and explain still
 * answer (the deterministic fallback, saying why), within the timeout, and the rest of the API stays fast
 * meanwhile. (SIEM forwarding is not built yet: there is no SIEM client to fail.)
 */

const database = useTestDatabase('hardening_llm');
let llm: LlmSim;
let llmStopped = false;
let h: Harness;
let eventId: string;
const figures = { faults: 0, fallbacks: 0, listRequestsDuringFaults: 0, slowestListMs: 0 };

beforeAll(async () => {
  llm = await startLlmSim();
  h = await startHarness(database, {
    events: 300,
    env: { LLM_API_KEY: llm.apiKey, LLM_BASE_URL: llm.url, LLM_TIMEOUT_SECONDS: '1' },
  });
  await h.core.ingest.runFetch({ hours: 168, sources: ['directory'] });
  eventId = (await h.core.events.search({ page_size: 1 })).items[0]!._id;
}, 60_000);

afterAll(async () => {
  printFigure('LLM faults', figures);
  await h.close();
  if (!llmStopped) await llm.stop();
});

const ask = () =>
  probe(`${h.url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: 'who changed conditional access policies in the past week?' }),
  });

/** Ask and explain under the current fault, with list requests running alongside. */
async function underFault(label: string) {
  figures.faults += 1;
  let done = false;
  const listing = (async () => {
    const times: number[] = [];
    while (!done) {
      const list = await probe(`${h.url}/api/events?page_size=20`);
      expect(list.status, label).toBe(200);
      times.push(list.ms);
    }
    return times;
  })();
  const [asked, explained] = await Promise.all([
    ask(),
    probe(`${h.url}/api/events/${eventId}/explain`, { method: 'POST' }),
  ]);
  done = true;
  const times = await listing;
  figures.listRequestsDuringFaults += times.length;
  figures.slowestListMs = Math.max(figures.slowestListMs, Math.round(Math.max(...times)));
  for (const [what, answer] of [
    ['ask', asked],
    ['explain', explained],
  ] as const) {
    expect(answer.status, `${label} ${what}: ${answer.body}`).toBe(200);
    const body = JSON.parse(answer.body) as { model: unknown; warning?: string };
    expect(body.model, `${label} ${what}`).toBeNull();
    expect(body.warning, `${label} ${what}`).toMatch(/without a language model/);
    // LLM_TIMEOUT_SECONDS=1 bounds the wait, retries included.
    expect(answer.ms, `${label} ${what}`).toBeLessThan(8_000);
    figures.fallbacks += 1;
  }
  expect(Math.max(...times), `${label}: the API stays responsive`).toBeLessThan(1_000);
}

describe('LLM down or slow', () => {
  it('answers with the model when it works (the baseline)', async () => {
    llm.script({});
    const answer = await ask();
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { model: unknown }).model).not.toBeNull();
  });

  const faults: [string, LlmStep][] = [
    ['slow past the timeout', { delayMs: 5_000 }],
    ['failing with 500', { status: 500 }],
    ['overloaded with 429', { status: 429, headers: { 'retry-after': '30' } }],
    ['dropping connections', { reset: true }],
  ];
  for (const [label, step] of faults) {
    it(`falls back when the model is ${label}`, async () => {
      llm.script(step);
      await underFault(label);
    }, 30_000);
  }

  it('falls back when the model is gone (connection refused)', async () => {
    await llm.stop();
    llmStopped = true;
    await underFault('gone');
  }, 30_000);
});
