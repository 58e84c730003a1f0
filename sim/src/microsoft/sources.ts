import type { AuditRecord, RecordContext } from './records/context.js';
import { buildDirectoryAudit } from './records/directory-audit.js';
import { buildIntuneAuditEvent } from './records/intune-audit-event.js';

export const GRAPH_SOURCES = ['directoryAudits', 'intuneAuditEvents'] as const;
export type GraphSource = (typeof GRAPH_SOURCES)[number];

export type SourceName = GraphSource;

export interface SourceSpec {
  /** Share of the total event count. */
  share: number;
  build(ctx: RecordContext): AuditRecord;
  /** The record's id field, what deduplication keys on. */
  idOf(record: AuditRecord): string;
}

const graphId = (record: AuditRecord): string => String(record.id);

export const SOURCES: Record<SourceName, SourceSpec> = {
  directoryAudits: { share: 1, build: buildDirectoryAudit, idOf: graphId },
  intuneAuditEvents: { share: 0.3, build: buildIntuneAuditEvent, idOf: graphId },
};

export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];
