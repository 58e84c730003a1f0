/**
 * What the API and console benchmarks share: a bench database (AOC_BENCH_MONGO_URI, else a sim Mongo server of
 * its own), a core on it, and a corpus of synthetic events stored in batches.
 */
import { createCore, loadConfig, silentLogger } from '@aoc/core';
import type { Config, Core, NormalizedEvent } from '@aoc/core';
import { startMongoSim } from '@aoc/sim';

const SERVICES = ['Exchange', 'SharePoint', 'AzureActiveDirectory', 'MicrosoftTeams', 'Intune'];
const OPERATIONS = ['Add member to group.', 'Update user.', 'Set-Mailbox', 'FileAccessed', 'Delete device'];

export interface SyntheticCorpus {
  /** Prefix of ids and dedupe keys, so two benches on one database never collide. */
  prefix: string;
  /** Where event `i` sits in time. */
  timestampOf(i: number): Date;
}

/** Events `offset .. offset + count` of a deterministic corpus: 5 services, ~1,000 actors, ~5,000 targets. */
export function syntheticEvents(count: number, offset: number, corpus: SyntheticCorpus): NormalizedEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const service = SERVICES[i % SERVICES.length]!;
    const operation = OPERATIONS[(i * 7) % OPERATIONS.length]!;
    const actor = `user${i % 997}@contoso.example`;
    const target = `object-${i % 5003}`;
    const summary = `${actor} ran ${operation} on ${target}`;
    return {
      id: `${corpus.prefix}-${i}`,
      source: i % 3 === 0 ? 'unified' : i % 3 === 1 ? 'directory' : 'intune',
      timestamp: corpus.timestampOf(i),
      service,
      operation,
      result: i % 11 === 0 ? 'failure' : 'success',
      actor_display: actor,
      target_displays: [target],
      display_summary: summary,
      dedupe_key: `${corpus.prefix}:${i}`,
      actor: { user: { userPrincipalName: actor } },
      targets: [{ displayName: target }],
      raw: { id: `${corpus.prefix}-${i}`, operation, service },
      raw_text: summary,
      search_terms: summary
        .toLowerCase()
        .split(/[^a-z0-9@.-]+/)
        .filter(Boolean),
    } satisfies NormalizedEvent;
  });
}

export interface BenchStore {
  config: Config;
  core: Core;
  /** Close the core and stop the sim server if this store started one. */
  close(): Promise<void>;
}

/** A core on a fresh bench database named after `name`, holding `events` synthetic events of `corpus`. */
export async function openBenchStore(
  name: string,
  events: number,
  corpus: SyntheticCorpus,
): Promise<BenchStore> {
  const external = process.env.AOC_BENCH_MONGO_URI;
  const sim = external ? undefined : await startMongoSim({});
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGO_URI: external ?? sim!.uri,
    MONGO_DB: `bench_${name}_${Date.now()}`,
    TENANT_ID: '00000000-0000-0000-0000-000000000001',
    CLIENT_ID: 'bench',
    CLIENT_SECRET: 'bench',
  });
  const core = await createCore(config, { log: silentLogger() });
  for (let offset = 0; offset < events; offset += 5_000) {
    await core.events.upsert(syntheticEvents(Math.min(5_000, events - offset), offset, corpus));
  }
  return {
    config,
    core,
    close: async () => {
      await core.close();
      await sim?.stop();
    },
  };
}
