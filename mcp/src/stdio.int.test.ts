import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { useTestDatabase } from '@aoc/sim/testing';
import { call, newClient, startFixture, textOf, toolProbes } from './test-support/fixture.js';
import type { Fixture } from './test-support/fixture.js';

const database = useTestDatabase('mcp_stdio');
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const entry = ['--conditions=@aoc/source', '--import', 'tsx', 'mcp/src/stdio.ts'];
let fixture: Fixture;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';
const transportErrors: Error[] = [];

beforeAll(async () => {
  fixture = await startFixture(database);
  transport = new StdioClientTransport({
    command: process.execPath,
    args: entry,
    cwd: repoRoot,
    stderr: 'pipe',
    env: {
      ...getDefaultEnvironment(),
      MONGO_URI: database.uri,
      MONGO_DB: database.name,
      LOG_LEVEL: 'info',
      AI_FEATURES_ENABLED: 'false',
    },
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  client = newClient();
  client.onerror = (error) => transportErrors.push(error);
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await fixture?.close();
});

describe('aoc-mcp over stdio', () => {
  it('lists the tools and answers each one, refusing bad arguments as tool errors', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['get_event', 'get_source_health', 'get_summary', 'list_filter_values', 'search_events'].sort(),
    );
    const eventId = (await fixture.core.events.search({ page_size: 1 })).items[0]!._id;
    const probes = toolProbes(eventId);
    for (const tool of tools) {
      const probe = probes[tool.name]!;
      const ok = await call(client, tool.name, probe.valid);
      expect(ok.isError, `${tool.name}: ${textOf(ok)}`).toBeFalsy();
      for (const args of probe.invalid) {
        expect((await call(client, tool.name, args)).isError, `${tool.name} ${JSON.stringify(args)}`).toBe(
          true,
        );
      }
    }
  });

  it('reads the same database the API does: results equal core’s for the same filters', async () => {
    const result = await call(client, 'search_events', { source: 'intune', limit: 10 });
    const direct = await fixture.core.events.search({ source: 'intune', page_size: 10 });
    expect((result.structuredContent as { items: { _id: string }[] }).items.map((e) => e._id)).toEqual(
      direct.items.map((e) => e._id),
    );
  });

  it('keeps stdout for the protocol: logs go to stderr', () => {
    expect(transportErrors).toEqual([]);
    expect(stderr).toContain('AOC MCP server ready on stdio');
  });
});

describe('aoc-mcp process lifetime', () => {
  it('exits 0 on its own when the client closes stdin', async () => {
    const child = spawn(process.execPath, entry, {
      cwd: repoRoot,
      env: {
        ...getDefaultEnvironment(),
        MONGO_URI: database.uri,
        MONGO_DB: database.name,
        LOG_LEVEL: 'info',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('ready on stdio')) child.stdin.end();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});

describe('aoc-mcp without MONGO_URI', () => {
  it('exits 1 and tells the user to set MONGO_URI', async () => {
    const child = spawn(process.execPath, entry, {
      cwd: repoRoot,
      env: { ...getDefaultEnvironment(), MONGO_URI: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toMatch(/MONGO_URI is not set.*Set it/s);
    expect(out).toBe('');
  });
});
