import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from './records/context.js';
import { SOURCE_NAMES } from './sources.js';
import { collectPaths, commonKeys, type JsonKind } from './test-support/shapes.js';
import { createWorld } from './world.js';

// The real payloads live outside the repository (their licences forbid committing them): ../shared/samples.
const SAMPLES = resolve(import.meta.dirname, '../../../../shared/samples');
const present = existsSync(SAMPLES);
if (!present)
  console.warn(`sample-shapes.test.ts: skipped, ${SAMPLES} does not exist (it is not part of a clone)`);

const ndjson = (file: string): AuditRecord[] =>
  readFileSync(join(SAMPLES, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditRecord);

function sampleGroups(): Map<string, AuditRecord[]> {
  const groups = new Map<string, AuditRecord[]>();
  const add = (key: string, record: AuditRecord): void =>
    void groups.set(key, [...(groups.get(key) ?? []), record]);
  const graphExamples = JSON.parse(
    readFileSync(join(SAMPLES, 'graph_api_http_examples.json'), 'utf8'),
  ) as Record<string, { body: { value: AuditRecord[] } }>;
  const directory = [
    ...ndjson('graph_directoryaudits_msdocs.ndjson'),
    ...ndjson('graph_directoryaudits_from_azure_diagnostic.ndjson'),
    ...(graphExamples.directoryAudits_page_v1?.body.value ?? []),
    // The sanitized page keeps one record with createdDateTime verbatim; it is not a valid directoryAudit.
    ...(graphExamples.directoryAudits_page_with_nextLink_sanitized?.body.value ?? []).filter(
      (r) => 'activityDateTime' in r,
    ),
  ];
  for (const record of directory) add('directoryAudits', record);
  for (const record of ndjson('graph_intune_auditevents.ndjson')) add('intuneAuditEvents', record);
  const management: Array<[string, AuditRecord[]]> = [
    ['Audit.AzureActiveDirectory', ndjson('mgmt_audit_azureactivedirectory.ndjson')],
    [
      'Audit.Exchange',
      [...ndjson('mgmt_audit_exchange_admin.ndjson'), ...ndjson('mgmt_audit_exchange_item.ndjson')],
    ],
    [
      'Audit.SharePoint',
      JSON.parse(
        readFileSync(join(SAMPLES, 'mgmt_content_blob_sharepoint_onedrive_with_duplicates.json'), 'utf8'),
      ) as AuditRecord[],
    ],
    ['Audit.General', ndjson('mgmt_audit_general_teams.ndjson')],
    ['DLP.All', ndjson('mgmt_dlp_all_exchange.ndjson')],
  ];
  for (const [type, records] of management)
    for (const record of records) add(`${type}:${Number(record.RecordType)}`, record);
  for (const record of ndjson('mgmt_edge_cases.ndjson')) {
    add(
      `${record.Workload === 'Exchange' ? 'Audit.Exchange' : 'Audit.AzureActiveDirectory'}:${Number(record.RecordType)}`,
      record,
    );
  }
  return groups;
}

/**
 * Paths the generator writes that the samples happen not to show, each a documented field of the real schema.
 * Anything else new fails the test.
 */
const KNOWN_EXTRAS: Record<string, readonly string[]> = {
  'Audit.Exchange:1': ['ClientIP'], // admin cmdlets run by people carry the caller's address and port
  'Audit.AzureActiveDirectory:15': ['LogonError'], // UserLoginFailed
  'Audit.General:25': ['ChannelGuid', 'ChannelName', 'ChannelType'], // ChannelAdded
  directoryAudits: ['targetResources[].modifiedProperties[].newValue'], // null after a removal (Remove member from group)
};

function generatedGroups(): Map<string, AuditRecord[]> {
  const world = createWorld({ seed: 9, events: 6000, days: 7, anchorMs: Date.parse('2026-11-20T12:00:00Z') });
  const groups = new Map<string, AuditRecord[]>();
  for (const source of SOURCE_NAMES) {
    const count = world.streams[source].timeline.count;
    for (let seq = 0; seq < count; seq += 1) {
      const record = world.record(source, seq);
      const key =
        source.startsWith('Audit.') || source === 'DLP.All'
          ? `${source}:${Number(record.RecordType)}`
          : source;
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
  }
  return groups;
}

describe.skipIf(!present)('generated records against the real samples', () => {
  const samples = present ? sampleGroups() : new Map<string, AuditRecord[]>();
  const generated = present ? generatedGroups() : new Map<string, AuditRecord[]>();

  it('covers the record types the samples show for every source', () => {
    for (const key of [
      'directoryAudits',
      'intuneAuditEvents',
      'Audit.AzureActiveDirectory:8',
      'Audit.AzureActiveDirectory:15',
      'Audit.Exchange:1',
      'Audit.Exchange:2',
      'Audit.SharePoint:4',
      'Audit.SharePoint:6',
      'Audit.SharePoint:14',
      'Audit.General:25',
      'DLP.All:13',
    ]) {
      expect(generated.get(key)?.length ?? 0, key).toBeGreaterThan(0);
      expect(samples.get(key)?.length ?? 0, key).toBeGreaterThan(0);
    }
  });

  it('gives every generated record the keys all samples of its type share', () => {
    for (const [key, records] of generated) {
      const sampled = samples.get(key);
      if (!sampled) continue;
      const required = commonKeys(sampled);
      for (const record of records) {
        const missing = [...required].filter((k) => !(k in record));
        expect(
          missing,
          `${key} ${String(record.Operation ?? record.activityDisplayName ?? record.activityType)}`,
        ).toEqual([]);
      }
    }
  });

  it('uses only paths and value kinds the samples show (numbers-as-strings included)', () => {
    const problems: string[] = [];
    for (const [key, records] of generated) {
      const sampled = samples.get(key);
      if (!sampled) continue;
      const real = new Map<string, Set<JsonKind>>();
      for (const record of sampled) collectPaths(record, real);
      const mine = new Map<string, Set<JsonKind>>();
      for (const record of records) collectPaths(record, mine);
      const extras = new Set(KNOWN_EXTRAS[key] ?? []);
      for (const [path, kinds] of mine) {
        const realKinds = real.get(path);
        if (!realKinds) {
          // Report only the outermost unknown path: children of an unknown field are unknown too.
          const parent = path.replace(/(\[\]|\.[^.[\]]+)$/, '');
          const parentKnown = parent === path || parent === '' || real.has(parent) || extras.has(parent);
          if (!extras.has(path) && parentKnown) problems.push(`${key}: unknown field ${path}`);
          continue;
        }
        for (const kind of kinds) {
          if (!realKinds.has(kind) && !extras.has(path))
            problems.push(`${key}: ${path} is ${kind}, samples have ${[...realKinds].join('|')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
