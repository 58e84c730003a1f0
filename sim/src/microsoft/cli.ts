import { parseArgs } from 'node:util';
import type { FaultRule } from './faults.js';
import { startMicrosoftSim } from './server.js';

const USAGE = `npm run sim -- microsoft [--port N] [--events N] [--days N] [--seed N] [--latency MS]
  [--fault JSON]... (a FaultRule: {"path":"/directoryAudits","status":429,"retryAfter":2,"times":3})
  [--fail-once PATH] [--throttle-once PATH] [--reset-once PATH] [--slow MS]
  [--token-lifetime SECONDS] [--expire-next-blobs N] [--duplicate-pages] [--duplicate-blobs FRACTION]
  [--live-every MS --live-count N] (keep adding recent events, like a tenant in use)`;

const number = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} needs a non-negative number, got '${text}'`);
  return value;
};

/** Starts the Microsoft sim in the foreground and prints one JSON line with its URLs and credentials. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      events: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      fault: { type: 'string', multiple: true },
      'fail-once': { type: 'string', multiple: true },
      'throttle-once': { type: 'string', multiple: true },
      'reset-once': { type: 'string', multiple: true },
      slow: { type: 'string' },
      'token-lifetime': { type: 'string' },
      'expire-next-blobs': { type: 'string' },
      'duplicate-pages': { type: 'boolean' },
      'duplicate-blobs': { type: 'string' },
      'live-every': { type: 'string' },
      'live-count': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sim = await startMicrosoftSim({
    port: number('port', values.port, 0),
    events: number('events', values.events, 3000),
    days: number('days', values.days, 7),
    seed: number('seed', values.seed, 1),
    latencyMs: number('latency', values.latency, 0),
    liveEvents: values['live-every']
      ? {
          everyMs: number('live-every', values['live-every'], 60_000),
          count: number('live-count', values['live-count'], 5),
        }
      : undefined,
    knobs: {
      duplicateAcrossPages: values['duplicate-pages'] ?? false,
      duplicateAcrossBlobs: number('duplicate-blobs', values['duplicate-blobs'], 0),
    },
  });
  for (const text of values.fault ?? []) sim.faults.add(JSON.parse(text) as FaultRule);
  for (const path of values['fail-once'] ?? []) sim.faults.failOnce(path);
  for (const path of values['throttle-once'] ?? []) sim.faults.throttle(path, 1);
  for (const path of values['reset-once'] ?? []) sim.faults.reset(path);
  if (values.slow) sim.faults.slow(undefined, number('slow', values.slow, 0));
  if (values['token-lifetime'])
    sim.faults.tokenLifetime(number('token-lifetime', values['token-lifetime'], 3599));
  if (values['expire-next-blobs'])
    sim.faults.expireNextBlobs(number('expire-next-blobs', values['expire-next-blobs'], 0));
  const line = {
    service: 'microsoft',
    urls: sim.urls,
    tenantId: sim.tenantId,
    tenantDomain: sim.tenantDomain,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    events: sim.generated(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  const stop = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
