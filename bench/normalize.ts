import { pathToFileURL } from 'node:url';
import { loadMappings } from '../core/src/mappings/load-mappings.js';
import type { CorpusRecord } from '../core/src/normalize/fixtures/corpus.test-helpers.js';
import {
  loadFixtureCorpus,
  loadSampleCorpus,
  REPO_ROOT,
} from '../core/src/normalize/fixtures/corpus.test-helpers.js';
import { normalizeEvent } from '../core/src/normalize/normalize-event.js';

export interface NormalizeBenchResult {
  id: 'normalize_eps';
  value: number;
  unit: 'events/s';
  target: 50000;
  runs: number[];
}

const RUNS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Normalization throughput on one core: the sample corpus (or the committed fixtures when the samples are
 * absent) cycled to 200k records (20k in quick mode), normalized with the repository's mappings.yml;
 * the value is the median of several runs after a warm-up.
 */
export async function benchNormalize(opts: { quick: boolean }): Promise<NormalizeBenchResult[]> {
  const samples = loadSampleCorpus();
  const corpus: CorpusRecord[] = samples.length > 0 ? samples : loadFixtureCorpus();
  const total = opts.quick ? 20_000 : 200_000;
  const mappings = loadMappings(`${REPO_ROOT}/mappings.yml`);
  const records = Array.from({ length: total }, (_, i) => corpus[i % corpus.length] as CorpusRecord);
  const run = () => {
    // CPU time of this process, not wall time: "events/s on one core" must not depend on what else the
    // machine is running (CI boxes and shared dev machines are often oversubscribed).
    const started = process.cpuUsage();
    let keys = 0;
    for (const record of records) {
      const ctx =
        record.contentType === undefined ? { mappings } : { mappings, contentType: record.contentType };
      keys += normalizeEvent(record.raw, record.source, ctx).dedupe_key.length;
    }
    const used = process.cpuUsage(started);
    const seconds = (used.user + used.system) / 1e6;
    // `keys` keeps the work observable so it cannot be optimized away.
    return keys > 0 ? Math.round(total / seconds) : 0;
  };
  run();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(run());
    // Yield between runs so a caller's timers and signals are served.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return [{ id: 'normalize_eps', value: median(runs), unit: 'events/s', target: 50000, runs }];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const [result] = await benchNormalize({ quick });
  if (result !== undefined) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.stdout.write(
      `normalize: ${result.value.toLocaleString('en')} events/s (target ${result.target.toLocaleString('en')})\n`,
    );
  }
}
