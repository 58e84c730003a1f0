import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** A running `aoc` command (the real CLI from sources), its output collected as it comes. */
export interface AocProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** What was written to stdout alone (one-shot commands print their JSON result there). */
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string | null>;
  /** Resolves once the output matches; rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Spawn `aoc <args>` with only the given environment (plus PATH), as a deployment would run it. */
export function spawnAoc(args: string[], env: Record<string, string>): AocProcess {
  const child = spawn(process.execPath, ['--conditions=@aoc/source', '--import', 'tsx', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    collect(chunk);
  });
  child.stderr?.on('data', collect);
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal);
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    output: () => output,
    stdout: () => stdout,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `aoc ${args.join(' ')}: no ${String(pattern)} within ${timeoutMs} ms\n${output.slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        function check() {
          if (pattern.test(output)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(
              new Error(`aoc ${args.join(' ')} exited before ${String(pattern)}\n${output.slice(-2000)}`),
            );
          }
        }
        listeners.add(check);
        check();
      });
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
