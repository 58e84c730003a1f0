/**
 * End-to-end ingestion: events/s from the sim Microsoft cloud to stored documents (100k events; 20k in quick
 * mode), beside its ceiling measured in the same run: the slower of the source side (the same fetch with the
 * database write replaced by a no-op) and the store side (the same normalized events upserted with no fetch).
 * Full mode also measures the peak RSS of a 1M-event backfill in a child process (the sims run in this one).
 * The database is the sim Mongo server, or AOC_BENCH_MONGO_URI.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { startMicrosoftSim, startMongoSim } from '@aoc/sim';
import type { MicrosoftSim } from '@aoc/sim';
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

function context(db: Db, sim: MicrosoftSim, dbName: string, uri: string): CoreContext {
  const config = loadConfig({
    MONGO_URI: uri,
    MONGO_DB: dbName,
    TENANT_ID: sim.tenantId,
    CLIENT_ID: sim.clientId,
    CLIENT_SECRET: sim.clientSecret,
    LOGIN_BASE_URL: sim.urls.login,
    GRAPH_BASE_URL: sim.urls.graph,
    MANAGEMENT_BASE_URL: sim.urls.management,
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

interface Round {
  eps: number;
  sourceEps: number;
  storeEps: number;
}

async function round(client: MongoClient, uri: string, events: number, seed: number): Promise<Round> {
  // Real content blobs hold hundreds to thousands of records; at 50 a blob the 2,000 calls a minute would be the limit.
  const sim = await startMicrosoftSim({ events, seed, days: 7, blobSize: 1000 });
  const dbName = `bench_ingest_${randomUUID().slice(0, 8)}`;
  const db = client.db(dbName);
  try {
    await ensureEventIndexes(db, { retentionDays: undefined });
    const ctx = context(db, sim, dbName, uri);
    const expected = sim.generated().total;

    // Source side: everything but the database write (normalized events are kept for the store side).
    const kept: NormalizedEvent[] = [];
    const sourceOnly: Partial<IngestOptions> = {
      upsert: (batch) => {
        kept.push(...batch);
        return Promise.resolve({ inserted: batch.length, updated: 0, insertedKeys: [] });
      },
      owner: 'bench-source-side',
    };
    const source = await timed(() => createIngest(ctx, sourceOnly).runFetch({ hours: 168 }));
    await db.collection('watermarks').deleteMany({});
    await db.collection('locks').deleteMany({});

    // Store side: the same events, upserted in the pipeline's batch size, without fetching.
    const storeDb = client.db(`${dbName}_store`);
    await ensureEventIndexes(storeDb, { retentionDays: undefined });
    const store = await timed(async () => {
      for (let i = 0; i < kept.length; i += 500)
        await upsertEvents(storeDb, kept.slice(i, i + 500), new Date());
    });
    kept.length = 0;
    await storeDb.dropDatabase();

    const full = await timed(() => createIngest(ctx).runFetch({ hours: 168 }));
    if (full.value.inserted !== expected) {
      throw new Error(
        `ingest stored ${full.value.inserted} of ${expected} events: ${full.value.warnings.join('; ')}`,
      );
    }
    process.stderr.write(
      `ingest: ${expected} events in ${full.seconds.toFixed(1)} s; source side ${source.seconds.toFixed(1)} s, store side ${store.seconds.toFixed(1)} s\n`,
    );
    return {
      eps: Math.round(expected / full.seconds),
      sourceEps: Math.round(source.value.inserted / source.seconds),
      storeEps: Math.round(expected / store.seconds),
    };
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await sim.stop();
  }
}

/** Peak RSS (MB) of a child process that backfills `events` events from a sim cloud running here. */
async function backfillPeakRss(uri: string, events: number): Promise<number> {
  const sim = await startMicrosoftSim({ events, seed: 99, days: 7, blobSize: 1000 });
  try {
    const script = fileURLToPath(import.meta.url);
    const child = spawn(
      process.execPath,
      ['--conditions=@aoc/source', '--import', 'tsx', script, '--backfill-child'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          BENCH_SIM: JSON.stringify({
            ...sim.urls,
            tenantId: sim.tenantId,
            clientId: sim.clientId,
            clientSecret: sim.clientSecret,
          }),
          BENCH_MONGO: uri,
        },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`backfill child exited with ${code}`);
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { inserted: number; maxRssMb: number };
    if (result.inserted !== sim.generated().total)
      throw new Error(`backfill stored ${result.inserted} of ${sim.generated().total}`);
    return result.maxRssMb;
  } finally {
    await sim.stop();
  }
}

async function backfillChild(): Promise<void> {
  const simInfo = JSON.parse(process.env.BENCH_SIM ?? '{}') as Record<string, string>;
  const uri = process.env.BENCH_MONGO ?? '';
  const client = new MongoClient(uri);
  await client.connect();
  const dbName = `bench_backfill_${randomUUID().slice(0, 8)}`;
  const db = client.db(dbName);
  try {
    await ensureEventIndexes(db, { retentionDays: undefined });
    const sim = { urls: simInfo, ...simInfo } as unknown as MicrosoftSim;
    const result = await createIngest(context(db, sim, dbName, uri)).runFetch({ hours: 168 });
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(`${JSON.stringify({ inserted: result.inserted, maxRssMb })}\n`);
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

/** The ingestion figures of `npm run bench`. */
export async function benchIngest(opts: { quick: boolean }): Promise<Figure[]> {
  const events = opts.quick ? 20_000 : 100_000;
  const rounds = opts.quick ? 1 : 3;
  const external = process.env.AOC_BENCH_MONGO_URI;
  const mongo = external ? undefined : await startMongoSim({});
  const uri = external ?? mongo?.uri ?? '';
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const results: Round[] = [];
    for (let r = 0; r < rounds; r++) results.push(await round(client, uri, events, r + 1));
    const eps = results.map((r) => r.eps);
    const ceilings = results.map((r) => Math.min(r.sourceEps, r.storeEps));
    const ingest = figureOf({ id: 'ingest_eps', unit: 'events/s', target: 10_000, runs: eps });
    const ceiling = figureOf({ id: 'ingest_ceiling', unit: 'events/s', runs: ceilings });
    const figures: Figure[] = [
      { ...ingest, ceiling: ceiling.value, ratio: round2(ingest.value / ceiling.value) },
      figureOf({
        id: 'ingest_vs_ceiling',
        unit: 'ratio',
        runs: results.map((r, i) => round2((eps[i] ?? 0) / Math.min(r.sourceEps, r.storeEps))),
        ceiling: 1,
      }),
    ];
    if (!opts.quick) {
      const rss = await backfillPeakRss(uri, 1_000_000);
      figures.push(
        figureOf({ id: 'backfill_peak_rss_mb', unit: 'MB', target: 400, higherIsBetter: false, runs: [rss] }),
      );
    }
    return figures;
  } finally {
    await client.close();
    await mongo?.stop();
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--backfill-child')) {
    await backfillChild();
  } else {
    for (const f of await benchIngest({ quick: process.argv.includes('--quick') })) {
      process.stdout.write(`${JSON.stringify(f)}\n`);
    }
  }
}
