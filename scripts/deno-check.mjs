// `node scripts/deno-check.mjs`: proves AOC's app is edge-ready by serving the built app under Deno (the
// binary of the `deno` npm package) against a sim MongoDB, then calling /health and /api/events over HTTP.
// Needs `npm run build` first. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const deno = `${root}node_modules/.bin/deno`;
const TIMEOUT_MS = 60_000;

for (const pkg of ['sim', 'core', 'mcp', 'api']) {
  if (!existsSync(`${root}${pkg}/dist/index.js`)) {
    console.error(`deno-check: ${pkg}/dist is missing; run npm run build first`);
    process.exit(1);
  }
}

const { startMongoSim } = await import('@aoc/sim');
const { createCore, loadConfig, silentLogger } = await import('@aoc/core');
const mongo = await startMongoSim({});
const settings = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  MONGO_URI: mongo.uri,
  MONGO_DB: `deno_check_${Date.now()}`,
  // Credentials present (and never used) keep the check away from the demo tenant, which is Node-only.
  TENANT_ID: '00000000-0000-0000-0000-000000000001',
  CLIENT_ID: 'deno-check',
  CLIENT_SECRET: 'deno-check',
};

// A few stored events, written by core on Node, for the Deno-served app to list.
const seeder = await createCore(loadConfig(settings), { log: silentLogger() });
await seeder.events.upsert(
  [1, 2, 3].map((i) => {
    const summary = `deno check event ${i}`;
    return {
      id: `deno-${i}`,
      source: 'directory',
      timestamp: new Date(Date.UTC(2026, 0, i)),
      service: 'Core Directory',
      operation: 'Update user',
      result: 'success',
      actor_display: 'admin@contoso.example',
      target_displays: [`user${i}@contoso.example`],
      display_summary: summary,
      dedupe_key: `deno:${i}`,
      actor: {},
      targets: [],
      raw: { id: `deno-${i}` },
      raw_text: summary,
      search_terms: summary.split(' '),
    };
  }),
);
await seeder.close();
const child = spawn(deno, ['run', '--allow-all', '--node-modules-dir=manual', 'scripts/deno-serve.mjs'], {
  cwd: root,
  env: { ...process.env, ...settings, DENO_NO_UPDATE_CHECK: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});

let failed = false;
const timer = setTimeout(() => {
  console.error(`deno-check: no answer within ${TIMEOUT_MS / 1000} s`);
  failed = true;
  child.kill('SIGKILL');
}, TIMEOUT_MS);

async function check(url) {
  const health = await fetch(`${url}/health`);
  const healthBody = await health.json();
  if (health.status !== 200 || healthBody.status !== 'ok')
    throw new Error(`/health: ${health.status} ${JSON.stringify(healthBody)}`);
  const events = await fetch(`${url}/api/events?page_size=5`);
  const eventsBody = await events.json();
  if (events.status !== 200 || !Array.isArray(eventsBody.items) || eventsBody.items.length !== 3)
    throw new Error(`/api/events: ${events.status} ${JSON.stringify(eventsBody)}`);
  const bad = await fetch(`${url}/api/events?start=yesterday`);
  if (bad.status !== 400) throw new Error(`/api/events?start=yesterday: expected 400, got ${bad.status}`);
  console.log(
    `deno-check: ok under ${healthBody.version} — /health ${health.status}, /api/events ${events.status} (${eventsBody.items.length} items), bad input ${bad.status}`,
  );
}

const lines = createInterface({ input: child.stdout });
const ready = new Promise((resolve, reject) => {
  lines.on('line', (line) => {
    try {
      const announced = JSON.parse(line);
      if (announced.service === 'aoc-deno') resolve(announced.url);
    } catch {
      process.stdout.write(`${line}\n`);
    }
  });
  child.once('exit', (code) => reject(new Error(`deno exited early with code ${code}`)));
});

try {
  await check(await ready);
} catch (error) {
  console.error(`deno-check: ${error.message}`);
  failed = true;
} finally {
  clearTimeout(timer);
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  await mongo.stop();
}
process.exit(failed ? 1 : 0);
