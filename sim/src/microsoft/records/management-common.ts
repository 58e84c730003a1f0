import { managementTimestamp } from '../timeline.js';
import type { TenantUser } from '../tenant.js';
import type { AuditRecord, RecordContext } from './context.js';

/** Fields every Management Activity record starts with (common schema), in the order Microsoft writes them. */
export function commonFields(
  ctx: RecordContext,
  fields: {
    recordType: number;
    operation: string;
    workload: string;
    userId: string;
    userKey: string;
    userType: number;
    resultStatus?: string;
    objectId?: string;
  },
): AuditRecord {
  const record: AuditRecord = {
    CreationTime: managementTimestamp(ctx.ms),
    Id: ctx.rng.guid(),
    Operation: fields.operation,
    OrganizationId: ctx.tenant.tenantId,
    RecordType: fields.recordType,
  };
  if (fields.resultStatus !== undefined) record.ResultStatus = fields.resultStatus;
  record.UserKey = fields.userKey;
  record.UserType = fields.userType;
  record.Version = 1;
  record.Workload = fields.workload;
  if (fields.objectId !== undefined) record.ObjectId = fields.objectId;
  record.UserId = fields.userId;
  return record;
}

export const userKeyOf = (user: TenantUser, domain: string): string => `${user.puid}@${domain}`;

/** Some publishers serialize every number as a string (`"RecordType":"15"`); clients must accept both. */
export function numbersAsStrings(record: AuditRecord): AuditRecord {
  const convert = (value: unknown): unknown => {
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value)) return value.map(convert);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    }
    return value;
  };
  return convert(record) as AuditRecord;
}
