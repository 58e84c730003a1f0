#!/usr/bin/env node
/**
 * `aoc serve | fetch [--hours N] [--source S] | renormalize [--limit N] | dedupe | mcp` — the command line of
 * ARCHITECTURE.md. Settings come from the environment and `.env`; every command applies the embedded defaults.
 */
import { parseArgs } from 'node:util';
import {
  FetchInput,
  applyKeyVaultSecrets,
  createCore,
  createLogger,
  loadConfig,
  readEnvFile,
  redactConfig,
} from '@aoc/core';
import type { Config, Core, Logger } from '@aoc/core';
import type { McpHttpMount } from './mcp-mount.js';
import { resolveEmbeddedDefaults } from './node/embedded-defaults.js';
import { startServer } from './server.js';

const USAGE = `usage: aoc <command> [options]

commands:
  serve                          serve the API and console on HOST:PORT
  fetch [--hours N] [--source S] fetch audit logs once (S: directory, intune, unified; repeatable)
  renormalize [--limit N]        re-run normalization over stored events
  dedupe                         remove duplicate events
  mcp                            run the MCP server on stdio
`;

const SHUTDOWN_TIMEOUT_MS = 9_000;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Build core with the embedded defaults for a one-shot command, run it, and close everything. */
async function withCore<T>(
  config: Config,
  env: NodeJS.ProcessEnv,
  log: Logger,
  run: (core: Core) => Promise<T>,
): Promise<T> {
  const runtime = await resolveEmbeddedDefaults(config, env, log);
  try {
    const core = await createCore(runtime.config, { log });
    try {
      return await run(core);
    } finally {
      await core.close();
    }
  } finally {
    await runtime.stop();
  }
}

async function serveCommand(config: Config, env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  const { mountMcp } = await loadMcp();
  const running = await startServer({ config, env, log, ...(mountMcp ? { mcp: mountMcp } : {}) });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // Whatever hangs, the process is gone within 10 s of the signal, as orchestrators expect.
      setTimeout(() => {
        log.warn('graceful shutdown timed out; exiting');
        process.exit(0);
      }, SHUTDOWN_TIMEOUT_MS).unref();
      running.shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

interface McpModule {
  /** The MCP package's HTTP mount factory, when it provides one. */
  mountMcp?: (core: Core) => McpHttpMount | Promise<McpHttpMount>;
  /** Serve MCP on stdio until the client disconnects. */
  runStdioServer?: (core: Core) => Promise<void>;
}

async function loadMcp(): Promise<McpModule> {
  // The mcp package's exports must fit this shape, or this line stops compiling.
  const mcp: McpModule = await import('@aoc/mcp');
  return mcp;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      hours: { type: 'string' },
      source: { type: 'string', multiple: true },
      limit: { type: 'string' },
    },
    strict: true,
  });
  // Key Vault values win over `.env` and the environment; an unreachable vault stops here with its name.
  const env = await applyKeyVaultSecrets({ ...readEnvFile('.env'), ...process.env });
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    fail((error as Error).message);
  }
  // Only `serve` logs to stdout: the one-shot commands print their JSON result there, and MCP's stdio
  // protocol owns it.
  const serving = command === 'serve';
  const log = createLogger({
    level: config.log.level,
    pretty: serving ? process.stdout.isTTY : command !== 'mcp' && process.stderr.isTTY,
    destination: serving ? 1 : 2,
  });
  log.debug({ config: redactConfig(config) }, 'configuration loaded');

  switch (command) {
    case 'serve':
      return serveCommand(config, env, log);
    case 'fetch': {
      const hours = values.hours === undefined ? undefined : Number(values.hours);
      if (hours !== undefined && !Number.isFinite(hours))
        fail(`--hours: expected a number, got "${values.hours}"`);
      const sources = values.source?.flatMap((s) => s.split(',')).map((s) => s.trim());
      const result = await withCore(config, env, log, (core) =>
        core.ingest.runFetch(FetchInput.parse({ hours, sources }), {
          onProgress: (progress) => log.info({ progress }, 'fetch progress'),
        }),
      );
      return print(result);
    }
    case 'renormalize': {
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
        fail(`--limit: expected a positive whole number`);
      return print(
        await withCore(config, env, log, (core) =>
          core.maintenance.renormalize(limit === undefined ? {} : { limit }),
        ),
      );
    }
    case 'dedupe':
      return print(await withCore(config, env, log, (core) => core.maintenance.dedupe()));
    case 'mcp': {
      const { runStdioServer } = await loadMcp();
      if (!runStdioServer) fail('this build of @aoc/mcp has no stdio server');
      return withCore(config, env, log, (core) => runStdioServer(core));
    }
    default:
      fail(`unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  fail(`aoc: ${message}`);
});
