import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMicrosoftSim } from '@aoc/sim';
import type { MicrosoftSim } from '@aoc/sim';
import { useTestDatabase } from '@aoc/sim/testing';
import { compareWithExpected } from './expected-ids.test-helpers.js';
import { printFigure } from './http-probe.test-helpers.js';
import { spawnAoc } from './spawn-aoc.test-helpers.js';

/**
 * `aoc fetch` killed with SIGKILL in the middle of a run — no cleanup, leases held, watermarks wherever the
 * last checkpoint left them — then run again. While the dead process's leases are live, a new run does not
 * fetch those sources; once they expire, the next run completes the set with nothing lost or duplicated.
 *
 * The lease lifetime is 60 s in production; instead of waiting it out, the test moves the dead leases'
 * expiry into the past, which is what the passing of time does to them.
 */

const database = useTestDatabase('hardening_kill');
let cloud: MicrosoftSim;
let env: Record<string, string>;

beforeAll(async () => {
  cloud = await startMicrosoftSim({ events: 3000, latencyMs: 4, blobSize: 50, knobs: { graphPageSize: 50 } });
  env = {
    LOG_LEVEL: 'info',
    MONGO_URI: database.uri,
    MONGO_DB: database.name,
    TENANT_ID: cloud.tenantId,
    CLIENT_ID: cloud.clientId,
    CLIENT_SECRET: cloud.clientSecret,
    LOGIN_BASE_URL: cloud.urls.login,
    GRAPH_BASE_URL: cloud.urls.graph,
    MANAGEMENT_BASE_URL: cloud.urls.management,
  };
});

afterAll(async () => {
  await cloud?.stop();
});

interface FetchOutput {
  per_source: Record<string, { status: string }>;
  warnings: string[];
}

/** The JSON result `aoc fetch` prints on stdout (its logs go to stderr), or undefined if it printed none. */
function resultOf(stdout: string): FetchOutput | undefined {
  try {
    return JSON.parse(stdout) as FetchOutput;
  } catch {
    return undefined;
  }
}

describe('aoc fetch killed with SIGKILL', () => {
  it('recovers its leases after expiry and completes the set, nothing lost or duplicated', async () => {
    const killed = spawnAoc(['fetch', '--hours', '168'], env);
    await killed.waitFor(/"events_stored":[1-9]\d{2,}/, 60_000);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBe('SIGKILL');

    const locks = database.db.collection<{ _id: string; owner: string | null; expires_at: Date }>('locks');
    const held = await locks.find({ owner: { $ne: null }, expires_at: { $gt: new Date() } }).toArray();
    expect(held.length, 'the dead process left live leases').toBeGreaterThan(0);
    const partial = await compareWithExpected(database.db, cloud);
    expect(partial.lost.length, 'the kill came mid-run').toBeGreaterThan(0);

    // A new run while the leases live: the leased sources are left alone (or the whole run is refused).
    const blocked = spawnAoc(['fetch', '--hours', '168'], env);
    const blockedExit = await blocked.exited;
    const blockedResult = resultOf(blocked.stdout());
    if (blockedExit === 0) {
      for (const lease of held) {
        const source = lease._id.replace(/^fetch:/, '');
        expect(blockedResult?.per_source[source]?.status, `${source} while leased`).toBe('skipped');
      }
    } else {
      expect(blocked.output()).toMatch(/already running|CONFLICT/i);
    }

    await locks.updateMany({ owner: { $ne: null } }, { $set: { expires_at: new Date(Date.now() - 1000) } });
    const rerun = spawnAoc(['fetch', '--hours', '168'], env);
    expect(await rerun.exited, rerun.output().slice(-2000)).toBe(0);
    expect(resultOf(rerun.stdout())?.warnings).toEqual([]);
    const report = await compareWithExpected(database.db, cloud);
    printFigure('SIGKILL mid-fetch', {
      leasesLeftByKill: held.length,
      storedBeforeKill: partial.stored,
      blockedRunExit: String(blockedExit),
      eventsExpected: report.expected,
      eventsStored: report.stored,
      lost: report.lost.length,
      duplicated: report.duplicated.length,
    });
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(await locks.countDocuments({ owner: { $ne: null } }), 'every lease released').toBe(0);
  }, 120_000);
});
