/**
 * CSV export: MB/s of `core.events.export` streaming 100k stored events (20k in quick mode), beside its ceiling
 * measured in the same run — the same documents read through a bare driver cursor and serialized with
 * JSON.stringify — and the peak RSS growth while exporting, beside the growth of an export a tenth the size
 * (streaming means the two stay alike). The sim Mongo (unless AOC_BENCH_MONGO_URI names a real one) runs in a
 * child process, so its memory is not counted.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import { exampleRecords } from '@aoc/sim';
import { createCore, defaultMappings, loadConfig, normalizeEvent, silentLogger } from '@aoc/core';
import type { Core, NormalizedEvent, Source } from '@aoc/core';
import { figureOf } from './figure.js';
import type { Figure } from './figure.js';

const SIM_CLI = fileURLToPath(new URL('../sim/src/cli.ts', import.meta.url));

async function startSimMongo(): Promise<{ uri: string; stop(): Promise<void> }> {
  const external = process.env.AOC_BENCH_MONGO_URI;
  if (external) return { uri: external, stop: async () => {} };
  const child = spawn(process.execPath, ['--conditions=@aoc/source', '--import', 'tsx', SIM_CLI, 'mongo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`sim mongo exited with ${code}`)));
  });
  return {
    uri,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const SOURCE_OF: Record<string, Source> = { directoryAudits: 'directory', intuneAuditEvents: 'intune' };

/** Realistic normalized events from the sim's generator, the template for the stored corpus. */
function templates(): NormalizedEvent[] {
  const mappings = defaultMappings();
  const out: NormalizedEvent[] = [];
  for (const [name, records] of Object.entries(exampleRecords({ perSource: 60 }))) {
    const source = SOURCE_OF[name] ?? 'unified';
    for (const raw of records) {
      out.push(
        normalizeEvent(raw, source, {
          mappings,
          contentType: source === 'unified' ? (name as NormalizedEvent['content_type']) : undefined,
        }),
      );
    }
  }
  return out;
}

async function seed(db: Db, count: number): Promise<void> {
  const base = templates();
  const now = Date.now();
  const batch: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = base[i % base.length]!;
    batch.push({
      ...event,
      _id: new ObjectId(),
      dedupe_key: `${event.dedupe_key}#${i}`,
      timestamp: new Date(now - i * 5_000),
      tags: i % 50 === 0 ? ['investigating'] : [],
      comments: [],
      ingested_at: new Date(now),
    });
    if (batch.length === 5_000) await db.collection('events').insertMany(batch.splice(0));
  }
  if (batch.length > 0) await db.collection('events').insertMany(batch);
}

interface Sampled {
  bytes: number;
  seconds: number;
  peakRssGrowthMb: number;
}

/**
 * Run `body`, sampling RSS every 10 ms; returns bytes produced, time and the peak RSS above the start. The start
 * is taken after a full collection (`npm run bench` runs with --expose-gc), so garbage an earlier run left is
 * not counted for or against this one.
 */
async function sampled(body: () => Promise<number>): Promise<Sampled> {
  global.gc?.();
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = process.hrtime.bigint();
  const bytes = await body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { bytes, seconds, peakRssGrowthMb: (peak - startRss) / 2 ** 20 };
}

async function exportCsv(core: Core, end?: Date): Promise<number> {
  let bytes = 0;
  const input = end ? { format: 'csv' as const, end: end.toISOString() } : { format: 'csv' as const };
  for await (const chunk of core.events.export(input)) bytes += Buffer.byteLength(chunk);
  return bytes;
}

async function rawCursor(db: Db): Promise<number> {
  let bytes = 0;
  const cursor = db
    .collection('events')
    .find({}, { projection: { raw: 0, raw_text: 0, search_terms: 0, actor: 0, targets: 0 } })
    .sort({ timestamp: -1, _id: -1 })
    .batchSize(1000);
  for await (const doc of cursor) bytes += Buffer.byteLength(JSON.stringify(doc)) + 1;
  return bytes;
}

/** The export figures: `export_mb_s` and `export_peak_rss_mb`. */
export async function benchExport(opts: { quick: boolean }): Promise<Figure[]> {
  const count = opts.quick ? 20_000 : 100_000;
  const repeats = opts.quick ? 2 : 3;
  const mongo = await startSimMongo();
  const dbName = `bench_export_${randomUUID().slice(0, 8)}`;
  const client = await MongoClient.connect(mongo.uri);
  const config = loadConfig({ MONGO_URI: mongo.uri, MONGO_DB: dbName, AI_FEATURES_ENABLED: 'false' });
  const core = await createCore(config, { log: silentLogger() });
  try {
    const db = client.db(dbName);
    await seed(db, count);
    // A tenth of the corpus: the events older than the cut-off (timestamps step back 5 s per event).
    const tenthEnd = new Date(Date.now() - count * 0.9 * 5_000);
    const mbs: number[] = [];
    const ceilings: number[] = [];
    const peaks: number[] = [];
    const smallPeaks: number[] = [];
    for (let run = 0; run < repeats; run += 1) {
      const full = await sampled(() => exportCsv(core));
      const raw = await sampled(() => rawCursor(db));
      const small = await sampled(() => exportCsv(core, tenthEnd));
      mbs.push(full.bytes / 2 ** 20 / full.seconds);
      ceilings.push(raw.bytes / 2 ** 20 / raw.seconds);
      peaks.push(full.peakRssGrowthMb);
      smallPeaks.push(small.peakRssGrowthMb);
    }
    const exportFigure = figureOf({ id: 'export_mb_s', unit: 'MB/s', runs: mbs });
    const ceiling = figureOf({ id: 'ceiling', unit: 'MB/s', runs: ceilings }).value;
    const rssFigure = figureOf({ id: 'export_peak_rss_mb', unit: 'MB', runs: peaks, higherIsBetter: false });
    const smallRss = figureOf({ id: 'small', unit: 'MB', runs: smallPeaks }).value;
    return [
      { ...exportFigure, ceiling, ratio: exportFigure.value / ceiling },
      // Target: the full export's RSS growth stays within 64 MB of an export a tenth its size.
      {
        ...rssFigure,
        ceiling: smallRss,
        target: smallRss + 64,
        ratio: rssFigure.value / Math.max(smallRss, 1),
      },
    ];
  } finally {
    await core.close();
    await client.db(dbName).dropDatabase();
    await client.close();
    await mongo.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await benchExport({ quick: process.argv.includes('--quick') });
  for (const f of figures)
    process.stdout.write(`${f.id}: ${f.value.toFixed(2)} ${f.unit} (ceiling ${f.ceiling?.toFixed(2)})\n`);
}
