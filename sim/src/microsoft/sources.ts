import type { AuditRecord, RecordContext } from './records/context.js';
import { buildDirectoryAudit } from './records/directory-audit.js';
import { buildIntuneAuditEvent } from './records/intune-audit-event.js';
import { buildAzureActiveDirectoryRecord } from './records/management-aad.js';
import { buildDlpRecord } from './records/management-dlp.js';
import { buildExchangeRecord } from './records/management-exchange.js';
import { buildTeamsRecord } from './records/management-general.js';
import { buildSharePointRecord } from './records/management-sharepoint.js';

export const GRAPH_SOURCES = ['directoryAudits', 'intuneAuditEvents'] as const;
export type GraphSource = (typeof GRAPH_SOURCES)[number];

/** The Management Activity API's content types, in the spelling its contentType parameter takes. */
export const CONTENT_TYPES = [
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export type SourceName = GraphSource | ContentType;

export const isContentType = (value: string): value is ContentType =>
  (CONTENT_TYPES as readonly string[]).includes(value);

export interface SourceSpec {
  /** Share of the total event count. */
  share: number;
  build(ctx: RecordContext): AuditRecord;
  /** The record's id field, what deduplication keys on. */
  idOf(record: AuditRecord): string;
}

const graphId = (record: AuditRecord): string => String(record.id);
const managementId = (record: AuditRecord): string => String(record.Id);

export const SOURCES: Record<SourceName, SourceSpec> = {
  directoryAudits: { share: 1, build: buildDirectoryAudit, idOf: graphId },
  intuneAuditEvents: { share: 0.3, build: buildIntuneAuditEvent, idOf: graphId },
  'Audit.AzureActiveDirectory': { share: 0.6, build: buildAzureActiveDirectoryRecord, idOf: managementId },
  'Audit.Exchange': { share: 0.6, build: buildExchangeRecord, idOf: managementId },
  'Audit.SharePoint': { share: 0.5, build: buildSharePointRecord, idOf: managementId },
  'Audit.General': { share: 0.3, build: buildTeamsRecord, idOf: managementId },
  'DLP.All': { share: 0.1, build: buildDlpRecord, idOf: managementId },
};

export const SOURCE_NAMES = Object.keys(SOURCES) as SourceName[];
