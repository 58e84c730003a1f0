// `npm start`: build what is stale, then serve AOC. A fresh clone needs only `npm ci && npm start`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// A package is stale when any source is newer than its build output (or there is no output yet).
const stale = ['sim', 'core', 'mcp', 'api', 'web'].filter((pkg) => {
  const out = join(root, pkg, 'dist');
  return !existsSync(out) || newestMtime(join(root, pkg, 'src')) > newestMtime(out);
});

if (stale.length > 0) {
  process.stderr.write(`Building ${stale.join(', ')}…\n`);
  const build = spawnSync('npm', ['run', 'build', '--workspaces', '--if-present'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(
  process.execPath,
  [join(root, 'api', 'dist', 'cli.js'), 'serve', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
// Forward termination so the server's graceful shutdown runs when a supervisor signals only this process.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
