import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { applyKeyVaultSecrets, createCore, createLogger, loadConfig, readEnvFile } from '@aoc/core';
import type { Core } from '@aoc/core';
import { createMcpServer } from './server.js';

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
}

/**
 * Serve AOC's MCP tools over stdio until the client closes stdin (or `signal` aborts), then close the
 * server. Writes nothing but protocol messages to `stdout`: logging goes wherever `core.log` writes, which
 * the caller must point at stderr. Used by `aoc-mcp` and `aoc mcp`.
 */
export async function runStdioServer(
  core: Core,
  streams: StdioStreams = { stdin: process.stdin, stdout: process.stdout },
  signal?: AbortSignal,
): Promise<void> {
  const server = createMcpServer(core);
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  // The SDK's stdio transport does not notice end of input; without this the open database keeps us alive.
  const stop = () => void server.close();
  streams.stdin.once('end', stop);
  streams.stdin.once('close', stop);
  signal?.addEventListener('abort', stop, { once: true });
  await server.connect(transport);
  core.log.info('AOC MCP server ready on stdio');
  await closed;
}

const MISSING_URI =
  'aoc-mcp: MONGO_URI is not set. Set it (in the environment or in .env) to the MongoDB connection string ' +
  'the AOC API uses, e.g. MONGO_URI=mongodb://localhost:27017, and MONGO_DB if the database is not micro_soc.';

/**
 * The `aoc-mcp` command: read settings like the API does (`.env` in the working directory, the environment
 * winning, Azure Key Vault over both when `AZURE_KEY_VAULT_NAME` is set), connect to `MONGO_URI` (required: unlike `aoc serve`, this never starts an embedded database,
 * which would hold no events), serve stdio until the client disconnects or a signal arrives, and close.
 * Returns the process exit code; every message goes to stderr.
 */
export async function runStdio(
  env: Record<string, string | undefined> = { ...readEnvFile('.env'), ...process.env },
): Promise<number> {
  let config;
  try {
    config = loadConfig(await applyKeyVaultSecrets(env));
  } catch (error) {
    process.stderr.write(`aoc-mcp: ${(error as Error).message}\n`);
    return 1;
  }
  if (!config.mongo.uri) {
    process.stderr.write(`${MISSING_URI}\n`);
    return 1;
  }
  const log = createLogger({ level: config.log.level, destination: 2 });
  let core: Core;
  try {
    core = await createCore(config, { log });
  } catch (error) {
    process.stderr.write(`aoc-mcp: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runStdioServer(core, undefined, stop.signal);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await core.close();
  }
}
