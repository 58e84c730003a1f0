/**
 * `npm run bench [-- --quick] [-- --only a,b]`: every benchmark of AOC, each figure beside its ceiling or
 * baseline measured in the same run, written to bench/results.json and printed as a table. Each benchmark runs
 * in a fresh Node process: a heap grown by an earlier one (100k events ingested, a loaded API) would otherwise
 * skew the memory figures and the garbage collector's pauses of the next.
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figure.js';

interface BenchModule {
  name: string;
  run(opts: { quick: boolean }): Promise<Figure[]>;
}

const modules: BenchModule[] = [
  { name: 'normalize', run: async (o) => (await import('./normalize.js')).benchNormalize(o) },
  { name: 'sim-mongo', run: async (o) => (await import('./sim-mongo.js')).benchSimMongo(o) },
  { name: 'ingest', run: async (o) => (await import('./ingest.js')).benchIngest(o) },
  { name: 'api', run: async (o) => (await import('./api.js')).benchApi(o) },
  { name: 'export', run: async (o) => (await import('./export.js')).benchExport(o) },
  { name: 'rules', run: async (o) => (await import('./rules.js')).benchRules(o) },
  { name: 'web', run: async (o) => (await import('./web.js')).benchWeb(o) },
];

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function meetsTarget(figure: Figure): boolean | null {
  if (figure.target === undefined) return null;
  return figure.higherIsBetter === false ? figure.value <= figure.target : figure.value >= figure.target;
}

function format(value: number | undefined): string {
  if (value === undefined) return '';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(2);
}

/** Runs one benchmark in a child process with this process's Node flags; resolves with its figures. */
async function runIsolated(name: string, quick: boolean): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aoc-bench-'));
  const resultFile = join(dir, 'figures.json');
  try {
    const args = [fileURLToPath(import.meta.url), '--module', name, '--result', resultFile];
    const child = spawn(process.execPath, [...process.execArgv, ...args, ...(quick ? ['--quick'] : [])], {
      stdio: 'inherit',
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${name}: exited with code ${String(code)}`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as Figure[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In the child: run the named benchmark and write its figures where the parent reads them. */
async function runModule(name: string, resultFile: string, quick: boolean): Promise<void> {
  const module = modules.find((m) => m.name === name);
  if (!module) throw new Error(`unknown benchmark ${name}`);
  writeFileSync(resultFile, JSON.stringify(await module.run({ quick })));
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = argValue('--only')?.split(',');
  const selected = only ? modules.filter((m) => only.includes(m.name)) : modules;
  const figures: Array<Figure & { meets_target: boolean | null; module: string }> = [];
  const failures: string[] = [];
  for (const module of selected) {
    process.stderr.write(`bench: ${module.name}${quick ? ' (quick)' : ''}…\n`);
    try {
      for (const figure of await runIsolated(module.name, quick)) {
        figures.push({ ...figure, module: module.name, meets_target: meetsTarget(figure) });
      }
    } catch (error) {
      failures.push(`${module.name}: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const cpu = cpus();
  const results = {
    meta: {
      commit: commit(),
      node: process.version,
      cpu: cpu[0]?.model ?? 'unknown',
      cores: cpu.length,
      database: process.env.AOC_BENCH_MONGO_URI ? 'mongodb (AOC_BENCH_MONGO_URI)' : 'sim',
      mode: quick ? 'quick' : 'full',
      date: new Date().toISOString(),
    },
    figures: figures.map(({ module: _module, higherIsBetter: _h, ...figure }) => figure),
    failures,
  };
  const out = argValue('--out') ?? fileURLToPath(new URL('./results.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

  const rows = figures.map((f) => [
    f.id,
    `${format(f.value)} ${f.unit}`,
    f.target === undefined ? '' : `${f.higherIsBetter === false ? '≤' : '≥'} ${format(f.target)}`,
    format(f.ceiling),
    format(f.ratio),
    f.meets_target === null ? '' : f.meets_target ? 'yes' : 'NO',
  ]);
  const header = ['figure', 'value', 'target', 'ceiling', 'ratio', 'meets'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  process.stdout.write(`\nwritten to ${out}\n`);
  if (failures.length > 0) {
    process.stderr.write(`\n${failures.length} benchmark(s) failed:\n${failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}

const moduleName = argValue('--module');
const resultFile = argValue('--result');
if (moduleName && resultFile) await runModule(moduleName, resultFile, process.argv.includes('--quick'));
else await main();
