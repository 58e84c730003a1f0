import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLlmSim, type LlmSim } from './server.js';

let sim: LlmSim;
beforeAll(async () => {
  sim = await startLlmSim({ apiKey: 'test-key', deployments: ['gpt-4o'] });
});
afterAll(() => sim.stop());
afterEach(() => sim.reset());

const events = [
  { _id: 'evt-1', operation: 'Add user' },
  { _id: 'evt-2', operation: 'Delete user' },
  { _id: 'evt-3', operation: 'Reset password' },
  { _id: 'evt-4', operation: 'Add member to group' },
];
const question = { role: 'user', content: `Who deleted users?\nEvents:\n${JSON.stringify(events)}` };

function chat(body: object, key = 'test-key', init: RequestInit = {}) {
  return fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
    ...init,
  });
}

async function sse(response: Response): Promise<unknown[]> {
  const text = await response.text();
  const frames = text.split('\n\n').filter((f) => f.startsWith('data: '));
  expect(frames.at(-1)).toBe('data: [DONE]');
  return frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)) as unknown);
}

describe('LLM simulator: OpenAI form', () => {
  it('answers deterministically, citing the first event ids it was given, with usage', async () => {
    const first = await chat({ model: 'gpt-4o-mini', messages: [question] });
    expect(first.status).toBe(200);
    const body = (await first.json()) as {
      object: string;
      model: string;
      choices: { message: { role: string; content: string }; finish_reason: string }[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('gpt-4o-mini');
    const content = body.choices[0]?.message.content ?? '';
    expect(content).toContain('[event:evt-1]');
    expect(content).toContain('[event:evt-3]');
    expect(content).not.toContain('[event:evt-4]');
    expect(content).toMatch(/^Summary: 4 event\(s\) in the prompt, 3 cited\.$/m);
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    const second = (await (await chat({ model: 'gpt-4o-mini', messages: [question] })).json()) as typeof body;
    expect(second.choices[0]?.message.content).toBe(content);
  });

  it('finds [event:<id>] markers as well as JSON ids', async () => {
    const messages = [{ role: 'user', content: 'Explain [event:abc-9] and {"id": "def-7"}' }];
    const body = (await (await chat({ messages })).json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toMatch(/\[event:abc-9\][\s\S]*\[event:def-7\]/);
  });

  it('records every request with its headers, credential and parsed body', async () => {
    await chat({ messages: [question] }, 'wrong-key');
    await chat({ messages: [question] });
    expect(sim.requests).toHaveLength(2);
    const [denied, served] = sim.requests;
    expect(denied?.apiKey).toBe('wrong-key');
    expect(served).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      form: 'openai',
      apiKey: 'test-key',
    });
    expect(served?.headers.authorization).toBe('Bearer test-key');
    expect(served?.body).toEqual({ messages: [question] });
    expect(served?.eventIds).toEqual(['evt-1', 'evt-2', 'evt-3', 'evt-4']);
  });

  it('answers 401 with OpenAI error JSON for a missing or wrong key', async () => {
    const wrong = await chat({ messages: [question] }, 'nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_api_key' },
    });
    const missing = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [question] }),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
      /didn't provide an API key/,
    );
  });

  it('rejects bodies that are not JSON or have no messages, and JSON mode without "json" in the prompt', async () => {
    const notJson = await chat({}, 'test-key', { body: '{oops' });
    expect(notJson.status).toBe(400);
    const noMessages = await chat({ model: 'x' });
    expect(await noMessages.json()).toMatchObject({
      error: { param: 'messages', code: 'missing_required_parameter' },
    });
    const noJsonWord = await chat({
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'json_object' },
    });
    expect(noJsonWord.status).toBe(400);
  });

  it('answers valid JSON in JSON mode', async () => {
    const messages = [{ role: 'system', content: 'Answer in JSON.' }, question];
    const body = (await (await chat({ messages, response_format: { type: 'json_object' } })).json()) as {
      choices: { message: { content: string } }[];
    };
    const answer = JSON.parse(body.choices[0]?.message.content ?? '') as Record<string, unknown>;
    expect(answer.event_ids).toEqual(['evt-1', 'evt-2', 'evt-3']);
    expect(answer.answer).toContain('[event:evt-2]');
    expect(answer.summary).toMatch(/4 event/);
  });

  it('streams SSE chunks that reassemble into the non-streamed answer, then [DONE], with usage on request', async () => {
    const plain = (await (await chat({ messages: [question] })).json()) as {
      choices: { message: { content: string } }[];
    };
    const chunks = (await sse(
      await chat({ messages: [question], stream: true, stream_options: { include_usage: true } }),
    )) as {
      object: string;
      choices: { delta: { content?: string }; finish_reason: string | null }[];
      usage?: unknown;
    }[];
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({ total_tokens: expect.any(Number) as number });
  });

  it('calls a requested tool with its required arguments, then answers once the tool result is in', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'search_events',
          parameters: {
            type: 'object',
            properties: { query: { type: 'string' }, limit: { type: 'integer' } },
            required: ['query', 'limit'],
          },
        },
      },
    ];
    const ask = { role: 'user', content: 'who deleted users?' };
    const first = (await (await chat({ messages: [ask], tools })).json()) as {
      choices: {
        message: {
          content: null;
          tool_calls: { id: string; function: { name: string; arguments: string } }[];
        };
        finish_reason: string;
      }[];
    };
    const call = first.choices[0]?.message.tool_calls[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.function.name).toBe('search_events');
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({ query: 'who deleted users?', limit: 10 });
    const followUp = [
      ask,
      { role: 'assistant', content: null, tool_calls: first.choices[0]?.message.tool_calls },
      { role: 'tool', tool_call_id: call?.id, content: JSON.stringify(events) },
    ];
    const second = (await (await chat({ messages: followUp, tools })).json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
    };
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toContain('[event:evt-1]');
  });

  it('streams tool calls as indexed deltas', async () => {
    const tools = [
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
    ];
    const chunks = (await sse(await chat({ messages: [question], tools, stream: true }))) as {
      choices: {
        delta: { tool_calls?: { index: number; function: { name?: string; arguments: string } }[] };
        finish_reason: string | null;
      }[];
    }[];
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]?.function.name).toBe('lookup');
    expect(deltas.map((d) => d.function.arguments).join('')).toBe('{}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('cuts the answer at max_tokens with finish_reason "length"', async () => {
    const body = (await (await chat({ messages: [question], max_tokens: 5 })).json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
    };
    expect(body.choices[0]?.message.content).toHaveLength(20);
    expect(body.choices[0]?.finish_reason).toBe('length');
  });
});

describe('LLM simulator: scripts', () => {
  it('answers a fixed text, then keeps the last step', async () => {
    sim.script({ content: 'fixed' });
    for (let i = 0; i < 2; i += 1) {
      const body = (await (await chat({ messages: [question] })).json()) as {
        choices: { message: { content: string } }[];
      };
      expect(body.choices[0]?.message.content).toBe('fixed');
    }
  });

  it('runs a sequence: a 429 with Retry-After, a 500, then the default answer', async () => {
    sim.script({ status: 429, headers: { 'retry-after': '2' } }, { status: 500 }, {});
    const limited = await chat({ messages: [question] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    const failed = await chat({ messages: [question] });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { type: 'server_error' } });
    expect((await chat({ messages: [question] })).status).toBe(200);
    expect((await chat({ messages: [question] })).status).toBe(200);
  });

  it('overrides the error message and code', async () => {
    sim.script({
      status: 400,
      error: { message: 'too long', code: 'context_length_exceeded', param: 'messages' },
    });
    expect(await (await chat({ messages: [question] })).json()).toEqual({
      error: {
        message: 'too long',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    });
  });

  it('delays the answer, and a client timeout aborts it', async () => {
    sim.script({ delayMs: 300 });
    const started = Date.now();
    expect((await chat({ messages: [question] })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(
      chat({ messages: [question] }, 'test-key', { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
  });

  it('drops the connection on a reset step', async () => {
    sim.script({ reset: true });
    await expect(chat({ messages: [question] })).rejects.toThrow(TypeError);
  });

  it('scripts tool calls', async () => {
    sim.script({ toolCalls: [{ name: 'search_events', arguments: { query: 'x' } }] });
    const body = (await (await chat({ messages: [question] })).json()) as {
      choices: { message: { tool_calls: { function: { arguments: string } }[] } }[];
    };
    expect(JSON.parse(body.choices[0]?.message.tool_calls[0]?.function.arguments ?? '')).toEqual({
      query: 'x',
    });
  });
});

describe('LLM simulator: Azure OpenAI form', () => {
  const azure = (path: string, headers: Record<string, string>) =>
    fetch(`${sim.azureUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ messages: [question] }),
    });

  it('serves a deployment with the api-key header and records the api-version', async () => {
    const response = await azure('/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21', {
      'api-key': 'test-key',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe('gpt-4o');
    expect(sim.requests[0]).toMatchObject({
      form: 'azure',
      deployment: 'gpt-4o',
      apiVersion: '2024-10-21',
      apiKey: 'test-key',
    });
  });

  it('answers Azure errors: 404 without api-version, 401 for a wrong key, 404 for an unknown deployment', async () => {
    const noVersion = await azure('/openai/deployments/gpt-4o/chat/completions', { 'api-key': 'test-key' });
    expect(noVersion.status).toBe(404);
    expect(await noVersion.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
    const wrongKey = await azure('/openai/deployments/gpt-4o/chat/completions?api-version=1', {
      'api-key': 'nope',
    });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({ error: { code: '401' } });
    const bearerOnly = await azure('/openai/deployments/gpt-4o/chat/completions?api-version=1', {
      authorization: 'Bearer test-key',
    });
    expect(bearerOnly.status).toBe(401);
    const unknown = await azure('/openai/deployments/nope/chat/completions?api-version=1', {
      'api-key': 'test-key',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'DeploymentNotFound' } });
  });
});
