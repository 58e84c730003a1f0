/**
 * The sim Mongo server through the real driver: `insertMany` throughput for 100k small documents, and the
 * latency of a filtered+sorted `find` and of a `$group` over them. Targets from issue 3: 100k inserts under
 * 5 s (20,000 docs/s), each query under 500 ms.
 */
import { MongoClient } from 'mongodb';
import { pathToFileURL } from 'node:url';
import { startMongoSim } from '@aoc/sim';
import { figureOf, type Figure } from './figure.js';

const DOCS = 100_000;
const OPS = ['Add member to group.', 'Update user.', 'Reset user password.', 'Add app role assignment.'];

function makeDocs(): Array<Record<string, unknown>> {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: DOCS }, (_, i) => ({
    id: `evt-${i}`,
    timestamp: new Date(start + i * 60_000),
    operation: OPS[i % OPS.length],
    service: i % 3 === 0 ? 'Exchange' : 'AzureActiveDirectory',
    actor: `user${i % 500}@contoso.test`,
    result: i % 17 === 0 ? 'Failure' : 'Success',
  }));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Runs the sim Mongo benchmark; `quick` measures each figure fewer times (the data size stays 100k). */
export async function benchSimMongo(opts: { quick: boolean }): Promise<Figure[]> {
  const rounds = opts.quick ? 1 : 3;
  const queryRuns = opts.quick ? 3 : 7;
  const sim = await startMongoSim({});
  const client = new MongoClient(sim.uri);
  try {
    await client.connect();
    const db = client.db('bench');
    const insertRuns: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await db.collection('events').drop();
      const docs = makeDocs();
      const ms = await timed(() => db.collection('events').insertMany(docs, { ordered: false }));
      insertRuns.push(Math.round(DOCS / (ms / 1000)));
    }
    const events = db.collection('events');
    const cutoff = new Date(Date.UTC(2026, 1, 1));
    const findRuns: number[] = [];
    const groupRuns: number[] = [];
    for (let r = 0; r < queryRuns; r++) {
      findRuns.push(
        await timed(() =>
          events
            .find({ service: 'AzureActiveDirectory', result: 'Success', timestamp: { $gte: cutoff } })
            .sort({ timestamp: -1, _id: -1 })
            .limit(50)
            .toArray(),
        ),
      );
      groupRuns.push(
        await timed(() =>
          events
            .aggregate([
              { $group: { _id: '$operation', n: { $sum: 1 }, last: { $max: '$timestamp' } } },
              { $sort: { n: -1 } },
            ])
            .toArray(),
        ),
      );
    }
    const round = (xs: number[]): number[] => xs.map((x) => Math.round(x * 10) / 10);
    return [
      figureOf({ id: 'sim_mongo_insert_many_100k', unit: 'docs/s', target: DOCS / 5, runs: insertRuns }),
      figureOf({
        id: 'sim_mongo_find_sorted_100k',
        unit: 'ms',
        target: 500,
        higherIsBetter: false,
        runs: round(findRuns),
      }),
      figureOf({
        id: 'sim_mongo_group_100k',
        unit: 'ms',
        target: 500,
        higherIsBetter: false,
        runs: round(groupRuns),
      }),
    ];
  } finally {
    await client.close();
    await sim.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchSimMongo({ quick: process.argv.includes('--quick') });
  for (const f of figures) {
    const better =
      f.higherIsBetter === false ? f.value <= (f.target ?? Infinity) : f.value >= (f.target ?? 0);
    process.stdout.write(
      `${f.id.padEnd(30)} ${f.value.toLocaleString('en').padStart(10)} ${f.unit.padEnd(7)} target ${String(f.target).padStart(6)}  ${better ? 'ok' : 'MISSED'}  runs ${f.runs.join(', ')}\n`,
    );
  }
}
