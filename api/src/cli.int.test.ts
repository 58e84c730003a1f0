import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';

const database = useTestDatabase('api_cli');
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let cloud: Awaited<ReturnType<typeof startMicrosoftSim>>;

beforeAll(async () => {
  cloud = await startMicrosoftSim({ events: 200 });
});

afterAll(async () => {
  await cloud.stop();
});

function run(
  args: string[],
  env: Record<string, string> = {},
  stdin?: { input: string; endWhen: (stdout: string) => boolean },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@aoc/source', '--import', 'tsx', cli, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        MONGO_URI: database.uri,
        MONGO_DB: database.name,
        TENANT_ID: cloud.tenantId,
        CLIENT_ID: cloud.clientId,
        CLIENT_SECRET: cloud.clientSecret,
        LOGIN_BASE_URL: cloud.urls.login,
        GRAPH_BASE_URL: cloud.urls.graph,
        MANAGEMENT_BASE_URL: cloud.urls.management,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (stdin) child.stdin.write(stdin.input);
    else child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Input ends once the answers are in, as when an MCP client disconnects.
      if (stdin?.endWhen(stdout)) child.stdin.end();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('aoc CLI', () => {
  it('fetches once and prints only the JSON result on stdout', async () => {
    const { code, stdout, stderr } = await run(['fetch', '--hours', '24', '--source', 'directory']);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.per_source.directory.status).toBe('ok');
    expect(result.count).toBeGreaterThan(0);
    expect(stderr).toContain('fetch progress');
  });

  it('dedupes and renormalizes the stored events', async () => {
    const dedupe = await run(['dedupe']);
    expect(dedupe.code, dedupe.stderr).toBe(0);
    expect(JSON.parse(dedupe.stdout)).toBeTypeOf('object');
    const renormalize = await run(['renormalize', '--limit', '50']);
    expect(renormalize.code, renormalize.stderr).toBe(0);
    expect(JSON.parse(renormalize.stdout)).toBeTypeOf('object');
  });

  it('serves MCP on stdio with nothing but protocol messages on stdout', async () => {
    const messages = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'cli-test', version: '1' },
        },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ];
    const input = `${messages.map((m) => JSON.stringify(m)).join('\n')}\n`;
    const { code, stdout, stderr } = await run(
      ['mcp'],
      {},
      { input, endWhen: (out) => out.includes('"id":2') },
    );
    expect(code, stderr).toBe(0);
    const replies = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id?: number; result?: { tools?: { name: string }[] } });
    expect(replies.find((r) => r.id === 2)?.result?.tools?.map((t) => t.name)).toContain('search_events');
  });

  it('refuses unknown commands, bad options and bad settings with a message', async () => {
    const unknown = await run(['launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
    const hours = await run(['fetch', '--hours', 'lots']);
    expect(hours.code).toBe(1);
    expect(hours.stderr).toContain('--hours');
    const settings = await run(['dedupe'], { PORT: 'eighty' });
    expect(settings.code).toBe(1);
    expect(settings.stderr).toContain('PORT');
  });
});
