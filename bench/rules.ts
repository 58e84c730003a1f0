/**
 * Cost of alert rules on ingestion: ingestion's own event sink (pipelined 500-event upserts, the ingestion hook
 * with rule evaluation and the outbox) over the same generated events, with 50 enabled rules and with none, on
 * fresh databases of one server. The two sides take turns a few batches at a time (A/B/B/A/…), and each turn of
 * one side is compared with the other side's turn next to it, so a burst of load from elsewhere on the machine
 * lands on one pair rather than on one side: a round's overhead is the trimmed mean of its pairs' ratios (the
 * highest and lowest quarter dropped), and `rules_overhead_pct` is the median of the rounds, with min and max.
 * Lower is better; target ≤ 10. `rules_alerts_per_run` reports how many alerts a round raised (ratio: per
 * event), so the figure is never that of rules matching nothing. The fetch from Microsoft is left out: it is
 * the same with or without rules. The sim Mongo (unless AOC_BENCH_MONGO_URI names a real MongoDB) runs in a
 * child process, as a real database does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
import { figureOf, median } from './figure.js';
import type { Figure } from './figure.js';

const SCRIPT = fileURLToPath(import.meta.url);
const BATCH = 500;
/** Events each side stores before the other's turn: a few batches, so the sink's pipelining is in play. */
const CHUNK = 4 * BATCH;
const ACTORS = 200;

/** CPU seconds process `pid` has used, all threads (Linux `/proc`), or undefined where that cannot be read. */
function processCpuSeconds(pid: number | undefined): (() => number) | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return () => {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  };
}

/** A sim Mongo in a child process (or the external MongoDB), until `stop`; `cpu` reads the sim's CPU time. */
async function startMongo(): Promise<{ uri: string; cpu?: () => number; stop(): Promise<void> }> {
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
  const cpu = processCpuSeconds(child.pid);
  return {
    uri,
    ...(cpu ? { cpu } : {}),
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

/** Every `BURST_EVERY` events, one of `SCRIPTERS` admins repeats one operation `BURST_LENGTH` times (a script). */
const BURST_EVERY = 250;
const BURST_LENGTH = 6;
const SCRIPTERS = 10;
/** Distinct operations the scripted bursts repeat; the threshold rules watch them. */
const BURST_OPERATIONS = 9;

/**
 * A busy tenant's stream, made from the sample corpus (or the committed fixtures): normalized once, then given
 * fresh ids, one of `ACTORS` actors and timestamps five seconds apart (ending about now after `total` events),
 * with a scripted burst (one admin repeating one operation) every `BURST_EVERY` events. `slice(from, count)`
 * makes events `from` to `from + count` of it.
 */
function eventStream(total: number): { slice(from: number, count: number): NormalizedEvent[] } {
  const samples = loadSampleCorpus();
  const corpus = samples.length > 0 ? samples : loadFixtureCorpus();
  const mappings = loadMappings(`${REPO_ROOT}/mappings.yml`);
  const normalized = corpus.map((record) =>
    normalizeEvent(record.raw, record.source, {
      mappings,
      ...(record.contentType ? { contentType: record.contentType } : {}),
    }),
  );
  const start = Date.now() - total * 5000;
  const event = (i: number): NormalizedEvent => {
    const block = Math.floor(i / BURST_EVERY);
    const burst = i % BURST_EVERY < BURST_LENGTH;
    const base = burst
      ? normalized[((block % BURST_OPERATIONS) * 7) % normalized.length]!
      : normalized[i % normalized.length]!;
    const actor = burst ? `admin${block % SCRIPTERS}@contoso.com` : `user${i % ACTORS}@contoso.com`;
    return {
      ...base,
      id: `${base.id}-${i}`,
      dedupe_key: `${base.dedupe_key}-${i}`,
      timestamp: new Date(start + i * 5000),
      actor_display: actor,
      search_terms: [...base.search_terms, actor],
    };
  };
  return { slice: (from, count) => Array.from({ length: count }, (_v, i) => event(from + i)) };
}

/** 50 rules as an administrator would write them: narrow matches, wildcards, free text and thresholds. */
function fiftyRules(events: readonly NormalizedEvent[]): RuleRequest[] {
  const distinct = (list: readonly NormalizedEvent[], pick: (e: NormalizedEvent) => string) =>
    [...new Set(list.map(pick))].filter(Boolean);
  const operations = distinct(events, (e) => e.operation);
  const services = distinct(events, (e) => e.service);
  const scripted = distinct(
    events.filter((e) => e.actor_display.startsWith('admin')),
    (e) => e.operation,
  );
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
  // Thresholds on what scripts repeat: every actor's matches are counted, bursts raise (and extend) alerts.
  const watched = scripted.length > 0 ? scripted : operations;
  for (let i = 0; rules.length < 50; i += 1)
    add({ operation: [watched[i % watched.length]!] }, { count: 5, window_minutes: 10 });
  return rules;
}

interface Side {
  db: Db;
  sink: EventSink;
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
  // Ingestion's own sink (pipelined upserts and hooks); the records are normalized already.
  const sink = createEventSink({
    normalize: (raw) => raw as unknown as NormalizedEvent,
    upsert: (batch) => upsertEvents(db, batch, new Date()),
    batchSize: BATCH,
    onIngested: createIngestHook({ alertsEnabled: true, rules: api, siem, log: ctx.log }),
  });
  return { db, sink };
}

/** What a chunk cost: wall-clock seconds, and CPU seconds of this process and the database together. */
interface Cost {
  seconds: number;
  cpu: number;
}

/** Store a chunk, flushed (alerts and outbox included), as ingestion does before a watermark moves. */
async function storeChunk(
  target: Side,
  chunk: readonly NormalizedEvent[],
  serverCpu: () => number,
): Promise<Cost> {
  const started = process.hrtime.bigint();
  const ownCpu = process.cpuUsage();
  const server = serverCpu();
  const writer = target.sink.open('directory', () => undefined);
  await writer.write(chunk, {});
  await writer.flush();
  const own = process.cpuUsage(ownCpu);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpu: (own.user + own.system) / 1e6 + serverCpu() - server,
  };
}

/** Mean of the values left once the highest and lowest quarter are dropped. */
function trimmedMean(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length / 4);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((x, y) => x + y, 0) / kept.length;
}

const percentOver = (ratio: number) => Math.round((ratio - 1) * 1000) / 10;

/**
 * One round: the same events stored by both sides, a chunk at a time, alternating which side goes first. The
 * wall-clock overhead is the trimmed mean of the chunks' time ratios; the CPU overhead compares the sides'
 * total CPU time (this process and the database's). The events are deleted afterwards (not timed), so every
 * round starts from the same collection sizes.
 */
async function round(
  none: Side,
  withRules: Side,
  events: readonly NormalizedEvent[],
  serverCpu: () => number,
) {
  const alertsBefore = await withRules.db.collection('alerts').countDocuments();
  const ratios: number[] = [];
  let noneSeconds = 0;
  let noneCpu = 0;
  let rulesCpu = 0;
  for (let i = 0, n = 0; i < events.length; i += CHUNK, n += 1) {
    const chunk = events.slice(i, i + CHUNK);
    let without: Cost;
    let withIt: Cost;
    if (n % 2 === 0) {
      without = await storeChunk(none, chunk, serverCpu);
      withIt = await storeChunk(withRules, chunk, serverCpu);
    } else {
      withIt = await storeChunk(withRules, chunk, serverCpu);
      without = await storeChunk(none, chunk, serverCpu);
    }
    ratios.push(withIt.seconds / without.seconds);
    noneSeconds += without.seconds;
    noneCpu += without.cpu;
    rulesCpu += withIt.cpu;
  }
  const alerts = (await withRules.db.collection('alerts').countDocuments()) - alertsBefore;
  for (const db of [none.db, withRules.db]) {
    await db.collection('events').drop();
    await ensureEventIndexes(db, { retentionDays: undefined });
  }
  return {
    overheadPct: percentOver(trimmedMean(ratios)),
    cpuOverheadPct: percentOver(rulesCpu / noneCpu),
    noneEps: events.length / noneSeconds,
    alerts,
  };
}

/**
 * The rules figures of `npm run bench`: rules_overhead_pct (50 enabled rules vs none, same run),
 * rules_cpu_overhead_pct (the CPU time they add, this process and the sim database together; less sensitive
 * to other load on the machine, left out against an external MongoDB) and rules_alerts_per_run (alerts one
 * round raised; ceiling: its events). Each side is one long-lived ingestion (rules compiled and threshold
 * matches read once, as in a running server) fed one continuous stream, round after round.
 */
export async function benchRules(opts: { quick: boolean }): Promise<Figure[]> {
  const count = opts.quick ? 10_000 : 20_000;
  const rounds = opts.quick ? 5 : 9;
  const warmUp = opts.quick ? 4000 : 8000;
  const stream = eventStream(warmUp + rounds * count);
  const rules = fiftyRules(stream.slice(0, count));
  const mongo = await startMongo();
  const serverCpu = mongo.cpu ?? (() => 0);
  const client = new MongoClient(mongo.uri);
  try {
    await client.connect();
    const none = await side(client, mongo.uri, []);
    const withRules = await side(client, mongo.uri, rules);
    try {
      // Warm-up (not counted): JIT, the server's first allocations, rules compiled, threshold matches read.
      await round(none, withRules, stream.slice(0, warmUp), serverCpu);
      const overheads: number[] = [];
      const cpuOverheads: number[] = [];
      const baselines: number[] = [];
      const alerts: number[] = [];
      for (let r = 0; r < rounds; r += 1) {
        const result = await round(none, withRules, stream.slice(warmUp + r * count, count), serverCpu);
        overheads.push(result.overheadPct);
        cpuOverheads.push(result.cpuOverheadPct);
        baselines.push(Math.round(result.noneEps));
        alerts.push(result.alerts);
        process.stderr.write(
          `rules: ${count} events, ${Math.round(result.noneEps)} events/s without rules; with 50: ${result.overheadPct}% slower, ${result.cpuOverheadPct}% more CPU, ${result.alerts} alerts\n`,
        );
      }
      const overhead = figureOf({
        id: 'rules_overhead_pct',
        unit: '%',
        target: 10,
        higherIsBetter: false,
        runs: overheads,
        ceiling: median(baselines),
      });
      const cpu = figureOf({
        id: 'rules_cpu_overhead_pct',
        unit: '%',
        higherIsBetter: false,
        runs: cpuOverheads,
      });
      const raised = figureOf({ id: 'rules_alerts_per_run', unit: 'alerts', runs: alerts, ceiling: count });
      return [overhead, ...(mongo.cpu ? [cpu] : []), { ...raised, ratio: raised.value / count }];
    } finally {
      await none.db.dropDatabase().catch(() => undefined);
      await withRules.db.dropDatabase().catch(() => undefined);
    }
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
