import type { ContentType } from '../events/model.js';
import { azureAdParts } from './ma-azure-ad.js';
import { dlpParts } from './ma-dlp.js';
import { exchangeParts } from './ma-exchange.js';
import { generalParts } from './ma-general.js';
import { sharePointParts } from './ma-sharepoint.js';
import type { ContentParts, ParsedRecord } from './parsed-record.js';
import type { JsonObject } from './values.js';
import {
  compact,
  displayText,
  firstDisplay,
  isGuid,
  num,
  parseTimestamp,
  resolveName,
  text,
} from './values.js';

// Record types of the DLP content type (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-schema#auditlogrecordtype).
const DLP_RECORD_TYPES = new Set([11, 13, 33, 63, 99, 107]);
// UserType values of apps and service principals, whose AppId names the actor better than UserId does.
const APP_USER_TYPES = new Set([5, 6]);
// The workload a record without `Workload` belongs to, by the content type it came under.
const WORKLOADS: Record<ContentType, string | undefined> = {
  'Audit.AzureActiveDirectory': 'AzureActiveDirectory',
  'Audit.Exchange': 'Exchange',
  'Audit.SharePoint': 'SharePoint',
  'Audit.General': undefined,
  'DLP.All': 'DLP',
};
const SYSTEM_ACCOUNT = /^(NT AUTHORITY\\SYSTEM\b|S-1-5-18$)/i;

/** True when a record has the common schema of the Office 365 Management Activity API. */
export function isManagementActivity(raw: JsonObject): boolean {
  return 'CreationTime' in raw && ('Operation' in raw || 'RecordType' in raw || 'Workload' in raw);
}

/** The content type a record belongs to, from its record type and workload, when the caller did not say. */
export function inferContentType(raw: JsonObject): ContentType {
  const recordType = num(raw['RecordType']);
  if (recordType !== undefined && DLP_RECORD_TYPES.has(recordType)) return 'DLP.All';
  switch ((text(raw['Workload']) ?? '').toLowerCase()) {
    case 'azureactivedirectory':
      return 'Audit.AzureActiveDirectory';
    case 'exchange':
      return 'Audit.Exchange';
    case 'sharepoint':
    case 'onedrive':
      return 'Audit.SharePoint';
    default:
      return 'Audit.General';
  }
}

function contentParts(
  contentType: ContentType,
  raw: JsonObject,
  names?: ReadonlyMap<string, string>,
): ContentParts {
  switch (contentType) {
    case 'Audit.AzureActiveDirectory':
      return azureAdParts(raw, names);
    case 'Audit.Exchange':
      return exchangeParts(raw, names);
    case 'Audit.SharePoint':
      return sharePointParts(raw, names);
    case 'Audit.General':
      return generalParts(raw, names);
    case 'DLP.All':
      return dlpParts(raw);
  }
}

function commonActor(raw: JsonObject, names?: ReadonlyMap<string, string>): string | undefined {
  const userId = displayText(raw['UserId']);
  if (userId !== undefined && SYSTEM_ACCOUNT.test(userId)) return 'System';
  if (APP_USER_TYPES.has(num(raw['UserType']) ?? -1)) {
    const app = resolveName(names, text(raw['AppId'])) ?? resolveName(names, text(raw['ApplicationId']));
    if (app !== undefined) return app;
  }
  if (userId !== undefined) {
    return isGuid(userId)
      ? (resolveName(names, userId) ?? resolveName(names, text(raw['UserKey'])) ?? userId)
      : userId;
  }
  return resolveName(names, text(raw['AppId'])) ?? firstDisplay(raw['AppId'], raw['ApplicationId']);
}

/** Reads one record of any Management Activity content type. */
export function parseManagementActivity(
  raw: JsonObject,
  names: ReadonlyMap<string, string> | undefined,
  declared: ContentType | undefined,
): ParsedRecord {
  const contentType = declared ?? inferContentType(raw);
  const parts = contentParts(contentType, raw, names);
  const timestampText = text(raw['CreationTime']);
  const timestamp = parseTimestamp(timestampText);
  const operation = text(raw['Operation']);
  const parsed: ParsedRecord = {
    id: text(raw['Id']),
    timestampText,
    timestamp,
    serviceKey: contentType === 'DLP.All' ? 'DLP' : (text(raw['Workload']) ?? WORKLOADS[contentType]),
    operation,
    result: text(raw['ResultStatus']),
    actor: compact({
      UserId: raw['UserId'],
      UserKey: raw['UserKey'],
      UserType: raw['UserType'],
      ClientIP: raw['ClientIP'] ?? raw['ClientIPAddress'] ?? raw['ActorIpAddress'],
      AppId: raw['AppId'] ?? raw['ApplicationId'],
    }),
    actorDisplay: parts.actorDisplay ?? commonActor(raw, names),
    targets: parts.targets,
    changed: parts.changed,
    contentType,
    // DLP.All reuses one Id for a rule match and its undo; the operation keeps them apart while the same
    // record fetched twice (same Id, same operation) still collapses.
    dedupeQualifier: operation,
    known: timestamp !== undefined && operation !== undefined,
  };
  if (parts.params !== undefined) parsed.params = parts.params;
  return parsed;
}
