import type { Db } from 'mongodb';
import type { Source } from '@aoc/core';

/** The part of the sim Microsoft cloud these helpers read (typed here: api code may not import sim eagerly). */
export interface ExpectedIdsSource {
  expectedIds(): object;
}

/** What a complete fetch must have stored now, per AOC source, from the sim's own account of its tenant. */
export function expectedBySource(sim: ExpectedIdsSource): Record<Source, Set<string>> {
  const out: Record<Source, Set<string>> = { directory: new Set(), intune: new Set(), unified: new Set() };
  for (const [name, ids] of Object.entries(sim.expectedIds() as Record<string, Iterable<string>>)) {
    const source: Source =
      name === 'directoryAudits' ? 'directory' : name === 'intuneAuditEvents' ? 'intune' : 'unified';
    for (const id of ids) out[source].add(id);
  }
  return out;
}

/** The source ids stored per source, duplicates kept (so a test can tell "stored twice" from "stored once"). */
export async function storedBySource(db: Db): Promise<Record<Source, string[]>> {
  const out: Record<Source, string[]> = { directory: [], intune: [], unified: [] };
  const docs = db
    .collection<{ id: string; source: Source }>('events')
    .find({}, { projection: { id: 1, source: 1 } });
  for await (const doc of docs) out[doc.source].push(doc.id);
  return out;
}

/** Lost and duplicated ids per source: both empty when the stored set is exactly the expected one. */
export async function compareWithExpected(
  db: Db,
  sim: ExpectedIdsSource,
): Promise<{ expected: number; stored: number; lost: string[]; duplicated: string[]; unexpected: string[] }> {
  const expected = expectedBySource(sim);
  const stored = await storedBySource(db);
  const report = {
    expected: 0,
    stored: 0,
    lost: [] as string[],
    duplicated: [] as string[],
    unexpected: [] as string[],
  };
  for (const source of ['directory', 'intune', 'unified'] as const) {
    const seen = new Set<string>();
    for (const id of stored[source]) {
      if (seen.has(id)) report.duplicated.push(`${source}:${id}`);
      seen.add(id);
      if (!expected[source].has(id)) report.unexpected.push(`${source}:${id}`);
    }
    for (const id of expected[source]) if (!seen.has(id)) report.lost.push(`${source}:${id}`);
    report.expected += expected[source].size;
    report.stored += stored[source].length;
  }
  return report;
}
