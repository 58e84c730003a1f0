/**
 * End-to-end ingestion: events/s from the sim Microsoft cloud to stored documents (100k events; 20k in quick
 * mode), beside its ceiling measured in the same run: the slower of the source side (the same fetch with the
 * database write replaced by a no-op) and the store side (the same normalized events upserted with no fetch).
 * Full mode also measures the peak RSS of a 1M-event backfill. The sims (Microsoft cloud, and the sim Mongo
 * unless AOC_BENCH_MONGO_URI names a real one) run in a child process, as the real services run elsewhere.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { startMicrosoftSim, startMongoSim } from '@aoc/sim';
import { loadConfig } from '../core/src/config.js';
import type { CoreContext } from '../core/src/context.js';
import type { NormalizedEvent } from '../core/src/events/model.js';
import { createIngest } from '../core/src/ingest/index.js';
import type { IngestOptions } from '../core/src/ingest/index.js';
import { silentLogger } from '../core/src/logger.js';
import { createMappingsProvider } from '../core/src/mappings/mappings-provider.js';
import { ensureEventIndexes } from '../core/src/store/indexes.js';
import { upsertEvents } from '../core/src/store/upsert-events.js';
import { figureOf } from './figure.js';
import type { Figure } from './figure.js';

const MAPPINGS = fileURLToPath(new URL('../mappings.yml', import.meta.url));
const SCRIPT = fileURLToPath(import.meta.url);
const CHILD_ARGS = ['--conditions=@aoc/source', '--import', 'tsx', SCRIPT];
/**
 * The sim's history spans the 7 days before it started; the measured fetch starts minutes later (after the
 * source-side and store-side passes), so it reaches back a little more than 7 days to cover all of it.
 */
const HOURS = 170;

interface SimsInfo {
  mongoUri: string;
  login: string;
  graph: string;
  management: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  total: number;
}

function context(db: Db, dbName: string, sims: SimsInfo): CoreContext {
  const config = loadConfig({
    MONGO_URI: sims.mongoUri,
    MONGO_DB: dbName,
    TENANT_ID: sims.tenantId,
    CLIENT_ID: sims.clientId,
    CLIENT_SECRET: sims.clientSecret,
    LOGIN_BASE_URL: sims.login,
    GRAPH_BASE_URL: sims.graph,
    MANAGEMENT_BASE_URL: sims.management,
  });
  return {
    config,
    log: silentLogger(),
    clock: () => new Date(),
    db,
    fetch: globalThis.fetch,
    mappings: createMappingsProvider(MAPPINGS),
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Start the sims in a child process; resolves with their addresses once they listen. */
async function startSims(events: number, seed: number): Promise<SimsInfo & { stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...CHILD_ARGS, '--sims-child'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_EVENTS: String(events), BENCH_SEED: String(seed) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<SimsInfo>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as SimsInfo);
    });
    child.once('exit', (code) => reject(new Error(`sims child exited with ${code}`)));
  });
  return {
    ...info,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function simsChild(): Promise<void> {
  const external = process.env.AOC_BENCH_MONGO_URI;
  const mongo = external ? undefined : await startMongoSim({});
  // Real content blobs hold hundreds to thousands of records; at 50 a blob the 2,000 calls a minute would be
  // the limit rather than ingestion.
  const sim = await startMicrosoftSim({
    events: Number(process.env.BENCH_EVENTS),
    seed: Number(process.env.BENCH_SEED),
    days: 7,
    blobSize: 1000,
    // Microsoft's APIs are a network away: every simulated request takes 20 ms, as the benchmark issue sets.
    latencyMs: 20,
  });
  const info: SimsInfo = {
    mongoUri: external ?? mongo?.uri ?? '',
    ...sim.urls,
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    total: sim.generated().total,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await sim.stop();
  await mongo?.stop();
}

interface Round {
  eps: number;
  sourceEps: number;
  storeEps: number;
}

async function round(events: number, seed: number): Promise<Round> {
  const sims = await startSims(events, seed);
  const client = new MongoClient(sims.mongoUri);
  const dbName = `bench_ingest_${randomUUID().slice(0, 8)}`;
  try {
    await client.connect();
    const db = client.db(dbName);
    await ensureEventIndexes(db, { retentionDays: undefined });
    const ctx = context(db, dbName, sims);

    // Source side: everything but the database write (the normalized events are kept for the store side).
    const kept: NormalizedEvent[] = [];
    const sourceOnly: Partial<IngestOptions> = {
      upsert: (batch) => {
        kept.push(...batch);
        return Promise.resolve({ inserted: batch.length, updated: 0, insertedKeys: [] });
      },
      owner: 'bench-source-side',
    };
    const source = await timed(() => createIngest(ctx, sourceOnly).runFetch({ hours: HOURS }));
    await db.collection('watermarks').deleteMany({});
    await db.collection('locks').deleteMany({});

    // Store side: the same events, upserted in the pipeline's batch size, with no fetch.
    const storeDb = client.db(`${dbName}_store`);
    await ensureEventIndexes(storeDb, { retentionDays: undefined });
    const store = await timed(async () => {
      for (let i = 0; i < kept.length; i += 500)
        await upsertEvents(storeDb, kept.slice(i, i + 500), new Date());
    });
    kept.length = 0;
    await storeDb.dropDatabase();

    const full = await timed(() => createIngest(ctx).runFetch({ hours: HOURS }));
    if (full.value.inserted !== sims.total) {
      throw new Error(
        `ingest stored ${full.value.inserted} of ${sims.total}: ${full.value.warnings.join('; ')}`,
      );
    }
    process.stderr.write(
      `ingest: ${sims.total} events in ${full.seconds.toFixed(1)} s; source side alone ${source.seconds.toFixed(1)} s, store side alone ${store.seconds.toFixed(1)} s\n`,
    );
    return {
      eps: Math.round(sims.total / full.seconds),
      sourceEps: Math.round(source.value.inserted / source.seconds),
      storeEps: Math.round(sims.total / store.seconds),
    };
  } finally {
    await client
      .db(dbName)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    await sims.stop();
  }
}

/**
 * Peak RSS (MB) of a process that backfills `events` events. Against the sim Mongo, which holds every document
 * in its own memory (so storing 1M events would measure the sim rather than AOC), the events are normalized and
 * counted but not written, so the figure is ingestion's own memory; with AOC_BENCH_MONGO_URI they are stored.
 */
async function backfillPeakRss(events: number): Promise<number> {
  const sims = await startSims(events, 99);
  try {
    const child = spawn(process.execPath, [...CHILD_ARGS, '--backfill-child'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_SIMS: JSON.stringify(sims) },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`backfill child exited with ${code}`);
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { inserted: number; maxRssMb: number };
    if (result.inserted !== sims.total)
      throw new Error(`backfill stored ${result.inserted} of ${sims.total}`);
    process.stderr.write(`backfill: ${sims.total} events, peak RSS ${result.maxRssMb} MB\n`);
    return result.maxRssMb;
  } finally {
    await sims.stop();
  }
}

async function backfillChild(): Promise<void> {
  const sims = JSON.parse(process.env.BENCH_SIMS ?? '{}') as SimsInfo;
  const client = new MongoClient(sims.mongoUri);
  await client.connect();
  const dbName = `bench_backfill_${randomUUID().slice(0, 8)}`;
  const db = client.db(dbName);
  try {
    await ensureEventIndexes(db, { retentionDays: undefined });
    const countOnly: Partial<IngestOptions> = process.env.AOC_BENCH_MONGO_URI
      ? {}
      : { upsert: (batch) => Promise.resolve({ inserted: batch.length, updated: 0, insertedKeys: [] }) };
    const result = await createIngest(context(db, dbName, sims), countOnly).runFetch({ hours: HOURS });
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(`${JSON.stringify({ inserted: result.inserted, maxRssMb })}\n`);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

/** The ingestion figures of `npm run bench`: ingest_eps, ingest_vs_ceiling and (full mode) backfill_peak_rss_mb. */
export async function benchIngest(opts: { quick: boolean }): Promise<Figure[]> {
  const events = opts.quick ? 20_000 : 100_000;
  const rounds = opts.quick ? 1 : 3;
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++) results.push(await round(events, r + 1));
  const ceilings = results.map((r) => Math.min(r.sourceEps, r.storeEps));
  const ratios = results.map((r, i) => round2(r.eps / (ceilings[i] ?? 1)));
  const ingest = figureOf({
    id: 'ingest_eps',
    unit: 'events/s',
    target: 10_000,
    runs: results.map((r) => r.eps),
  });
  const ceiling = figureOf({ id: 'ingest_ceiling', unit: 'events/s', runs: ceilings }).value;
  const figures: Figure[] = [
    { ...ingest, ceiling, ratio: round2(ingest.value / ceiling) },
    // Target: at most twice the ceiling's time.
    figureOf({ id: 'ingest_vs_ceiling', unit: 'ratio', ceiling: 1, target: 0.5, runs: ratios }),
  ];
  // Quick mode backfills a tenth of the events: the same figure, from a smaller run.
  const rss = await backfillPeakRss(opts.quick ? 100_000 : 1_000_000);
  figures.push(
    figureOf({ id: 'backfill_peak_rss_mb', unit: 'MB', target: 400, higherIsBetter: false, runs: [rss] }),
  );
  return figures;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--sims-child')) await simsChild();
  else if (process.argv.includes('--backfill-child')) await backfillChild();
  else {
    for (const figure of await benchIngest({ quick: process.argv.includes('--quick') })) {
      process.stdout.write(`${JSON.stringify(figure)}\n`);
    }
  }
}
