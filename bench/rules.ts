/**
 * Cost of alert rules on ingestion: ingestion's own event sink (pipelined 500-event upserts, the ingestion hook
 * with rule evaluation and the outbox awaited per batch) over the same generated events, with 50 enabled rules
 * and with none, in the same run on fresh databases, both sides taking turns a few batches at a time so they
 * share the machine's load alike. `rules_overhead_pct` is how much longer the side with rules takes (lower is
 * better; target ≤ 10). The fetch from Microsoft is left out: it is the same with or without rules. The sim
 * Mongo (unless AOC_BENCH_MONGO_URI names a real MongoDB) runs in a child process, as a real database does.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { startMongoSim } from '@aoc/sim';
import { loadConfig } from '../core/src/config.js';
import type { CoreContext } from '../core/src/context.js';
import type { NormalizedEvent } from '../core/src/events/model.js';
import { silentLogger } from '../core/src/logger.js';
import { loadMappings } from '../core/src/mappings/load-mappings.js';
import { createMappingsProvider } from '../core/src/mappings/mappings-provider.js';
import {
  loadFixtureCorpus,
  loadSampleCorpus,
  REPO_ROOT,
} from '../core/src/normalize/fixtures/corpus.test-helpers.js';
import { normalizeEvent } from '../core/src/normalize/normalize-event.js';
import { createEventSink } from '../core/src/ingest/event-sink.js';
import type { EventSink } from '../core/src/ingest/event-sink.js';
import { createRules } from '../core/src/rules/create-rules.js';
import type { RuleRequest } from '../core/src/rules/schemas.js';
import { createIngestHook, createSiem } from '../core/src/siem/index.js';
import { ensureEventIndexes } from '../core/src/store/indexes.js';
import { upsertEvents } from '../core/src/store/upsert-events.js';
import { figureOf } from './figure.js';
import type { Figure } from './figure.js';

const SCRIPT = fileURLToPath(import.meta.url);
const BATCH = 500;
/** Events each side stores before the other's turn: a few batches, so the sink's pipelining is in play. */
const CHUNK = 4 * BATCH;
const ACTORS = 200;

/** A sim Mongo in a child process (or the external MongoDB), until `stop`. */
async function startMongo(): Promise<{ uri: string; stop(): Promise<void> }> {
  const external = process.env.AOC_BENCH_MONGO_URI;
  if (external) return { uri: external, stop: () => Promise.resolve() };
  const child = spawn(
    process.execPath,
    ['--conditions=@aoc/source', '--import', 'tsx', SCRIPT, '--mongo-child'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`mongo child exited with ${code}`)));
  });
  return {
    uri,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function mongoChild(): Promise<void> {
  const mongo = await startMongoSim({});
  process.stdout.write(`${mongo.uri}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await mongo.stop();
}

/**
 * `count` distinct events made from the sample corpus (or the committed fixtures): normalized once, then
 * given fresh ids, one of `ACTORS` actors and timestamps a few seconds apart, as a busy tenant's stream.
 */
function generateEvents(count: number): NormalizedEvent[] {
  const samples = loadSampleCorpus();
  const corpus = samples.length > 0 ? samples : loadFixtureCorpus();
  const mappings = loadMappings(`${REPO_ROOT}/mappings.yml`);
  const normalized = corpus.map((record) =>
    normalizeEvent(record.raw, record.source, {
      mappings,
      ...(record.contentType ? { contentType: record.contentType } : {}),
    }),
  );
  const start = Date.now() - count * 5000;
  return Array.from({ length: count }, (_v, i) => {
    const base = normalized[i % normalized.length]!;
    const actor = `user${i % ACTORS}@contoso.com`;
    return {
      ...base,
      id: `${base.id}-${i}`,
      dedupe_key: `${base.dedupe_key}-${i}`,
      timestamp: new Date(start + i * 5000),
      actor_display: actor,
      search_terms: [...base.search_terms, actor],
    };
  });
}

/** 50 rules as an administrator would write them: narrow matches, wildcards, free text and thresholds. */
function fiftyRules(events: readonly NormalizedEvent[]): RuleRequest[] {
  const distinct = (pick: (e: NormalizedEvent) => string) => [...new Set(events.map(pick))].filter(Boolean);
  const operations = distinct((e) => e.operation);
  const services = distinct((e) => e.service);
  const rules: RuleRequest[] = [];
  const severities = ['low', 'medium', 'high', 'critical'] as const;
  const add = (conditions: RuleRequest['conditions'], threshold?: RuleRequest['threshold']) =>
    rules.push({
      name: `rule ${rules.length + 1}`,
      severity: severities[rules.length % 4],
      conditions,
      ...(threshold ? { threshold } : {}),
    });
  const actor = (i: number) => `user${(i * 7) % ACTORS}@contoso.com`;
  // Each rule watches a slice of the stream (an operation by one actor, failures of a service, …): together
  // they alert on a few percent of events, as a tuned rule set does.
  for (let i = 0; rules.length < 20; i += 1)
    add({ operation: [operations[i % operations.length]!], actor: [actor(i)] });
  for (let i = 0; rules.length < 28; i += 1)
    add({ service: [services[i % services.length]!], result: ['failure'], actor: [actor(i + 3)] });
  for (let i = 0; rules.length < 36; i += 1) add({ actor: [actor(i + 11)], source: ['directory'] });
  for (let i = 0; rules.length < 41; i += 1)
    add({ operation: [`${operations[i % operations.length]!.slice(0, 3)}*`], actor: [actor(i + 17)] });
  for (const word of ['password', 'admin', 'forwarding', 'delete', 'consent'])
    add({ text: word, actor: [actor(rules.length)] });
  for (let i = 0; rules.length < 50; i += 1)
    add({ operation: [operations[(i * 5) % operations.length]!] }, { count: 5, window_minutes: 10 });
  return rules;
}

interface Side {
  db: Db;
  sink: EventSink;
  seconds: number;
}

async function side(client: MongoClient, uri: string, rules: RuleRequest[]): Promise<Side> {
  const name = `bench_rules_${randomUUID().slice(0, 8)}`;
  const db: Db = client.db(name);
  await ensureEventIndexes(db, { retentionDays: undefined });
  const ctx: CoreContext = {
    config: loadConfig({ MONGO_URI: uri, MONGO_DB: name }),
    log: silentLogger(),
    clock: () => new Date(),
    db,
    fetch: globalThis.fetch,
    mappings: createMappingsProvider(undefined),
  };
  const siem = await createSiem(ctx);
  const { rules: api } = await createRules({ ...ctx, checkWebhookUrl: () => undefined });
  for (const rule of rules) await api.create(rule);
  // Ingestion's own sink (pipelined upserts, the hook awaited per batch); the records are normalized already.
  const sink = createEventSink({
    normalize: (raw) => raw as unknown as NormalizedEvent,
    upsert: (batch) => upsertEvents(db, batch, new Date()),
    batchSize: BATCH,
    onIngested: createIngestHook({ alertsEnabled: true, rules: api, siem, log: ctx.log }),
  });
  return { db, sink, seconds: 0 };
}

async function storeChunk(target: Side, chunk: readonly NormalizedEvent[]): Promise<void> {
  const started = process.hrtime.bigint();
  const writer = target.sink.open('directory', () => undefined);
  await writer.write(chunk, {});
  await writer.flush();
  target.seconds += Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * One round: the same events stored into two fresh databases, one with the rules and one without, a few
 * batches at a time in alternating order, so both sides see the same server load at the same moments.
 */
async function pass(
  client: MongoClient,
  uri: string,
  events: readonly NormalizedEvent[],
  rules: RuleRequest[],
) {
  const none = await side(client, uri, []);
  const withRules = await side(client, uri, rules);
  try {
    for (let i = 0, n = 0; i < events.length; i += CHUNK, n += 1) {
      const batch = events.slice(i, i + CHUNK);
      const order = n % 2 === 0 ? [none, withRules] : [withRules, none];
      for (const target of order) await storeChunk(target, batch);
    }
    return {
      noneEps: events.length / none.seconds,
      rulesEps: events.length / withRules.seconds,
      alerts: await withRules.db.collection('alerts').countDocuments(),
    };
  } finally {
    await none.db.dropDatabase().catch(() => undefined);
    await withRules.db.dropDatabase().catch(() => undefined);
  }
}

/** The rules figure of `npm run bench`: rules_overhead_pct (50 enabled rules vs none, same run). */
export async function benchRules(opts: { quick: boolean }): Promise<Figure[]> {
  const count = opts.quick ? 5000 : 20_000;
  const rounds = opts.quick ? 3 : 5;
  const events = generateEvents(count);
  const rules = fiftyRules(events);
  const mongo = await startMongo();
  const client = new MongoClient(mongo.uri);
  try {
    await client.connect();
    // Warm-up (not counted): JIT, the server's first allocations, the first reads of every threshold rule.
    await pass(client, mongo.uri, events.slice(0, opts.quick ? 2000 : 5000), rules);
    const runs: number[] = [];
    const baselines: number[] = [];
    for (let r = 0; r < rounds; r += 1) {
      const result = await pass(client, mongo.uri, events, rules);
      baselines.push(Math.round(result.noneEps));
      runs.push(Math.round((result.noneEps / result.rulesEps - 1) * 1000) / 10);
      process.stderr.write(
        `rules: ${count} events, ${Math.round(result.noneEps)} events/s without rules, ${Math.round(result.rulesEps)} with 50 (${result.alerts} alerts)\n`,
      );
    }
    return [
      figureOf({
        id: 'rules_overhead_pct',
        unit: '%',
        target: 10,
        higherIsBetter: false,
        runs,
        ceiling: Math.round(baselines.reduce((x, y) => x + y, 0) / baselines.length),
      }),
    ];
  } finally {
    await client.close();
    await mongo.stop();
  }
}

if (process.argv.includes('--mongo-child')) {
  await mongoChild();
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchRules({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
