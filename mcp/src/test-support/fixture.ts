import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import type { Core } from '@aoc/core';
import { startMicrosoftSim } from '@aoc/sim';
import type { TestDatabase } from '@aoc/sim/testing';

/** A core over a test file's database, filled from the sim Microsoft cloud (every source, last 7 days). */
export interface Fixture {
  core: Core;
  close(): Promise<void>;
}

export async function startFixture(
  database: TestDatabase,
  options: { env?: Record<string, string>; events?: number } = {},
): Promise<Fixture> {
  const cloud = await startMicrosoftSim({ events: options.events ?? 150, seed: 7 });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    LOGIN_BASE_URL: cloud.urls.login,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
    AI_FEATURES_ENABLED: 'false',
    ...options.env,
  });
  const core = await createCore(config, { log: silentLogger(), mongoClient: database.client });
  try {
    await core.ingest.runFetch({ hours: 168 });
  } finally {
    await cloud.stop();
  }
  return { core, close: () => core.close() };
}

/** A connected SDK client named for the test. */
export function newClient(): Client {
  return new Client({ name: 'aoc-test', version: '1.0.0' });
}

/** Call a tool and return its result, typed as a plain tool result. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of a result's first text part. */
export function textOf(result: CallToolResult): string {
  const part = result.content[0];
  return part?.type === 'text' ? part.text : '';
}

/** Valid arguments for each tool, and arguments each must refuse as a tool error. */
export function toolProbes(
  eventId: string,
): Record<string, { valid: Record<string, unknown>; invalid: Record<string, unknown>[] }> {
  return {
    search_events: {
      valid: { limit: 5, start: 'last 30 days' },
      invalid: [
        { limit: 0 },
        { limit: 'ten' },
        { start: 'yesterday-ish' },
        { source: 'mainframe' },
        { cursor: 'forged' },
      ],
    },
    get_event: { valid: { id: eventId }, invalid: [{}, { id: '' }, { id: 'no-such-event' }] },
    get_summary: {
      valid: { days: 30 },
      invalid: [{ days: 0 }, { days: 100000 }, { start: 'tomorrow', end: 'now' }],
    },
    list_filter_values: { valid: { field: 'services' }, invalid: [{ field: 'passwords' }, { limit: -1 }] },
    get_source_health: { valid: {}, invalid: [] },
    ask: { valid: { question: 'what happened in the last week?' }, invalid: [{}, { question: '' }] },
  };
}
