import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A running `aoc serve` child process. */
export interface ServedAoc {
  url: string;
  /** Everything the server logged, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts `aoc serve` from the sources (as `npm start` would after a build) with `env` on a free loopback
 * port, and resolves once it answers `/health`. Without Microsoft credentials it ingests the demo tenant.
 */
export async function serveAoc(env: Record<string, string>, timeoutMs = 60_000): Promise<ServedAoc> {
  const port = await freePort();
  let log = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@aoc/source', '--import', 'tsx', 'api/src/cli.ts', 'serve'],
    {
      cwd: REPO,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 10_000))]);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`aoc serve exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return { url, output: () => log, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`aoc serve did not answer /health within ${timeoutMs} ms:\n${log}`);
}
