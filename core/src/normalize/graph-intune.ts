import type { ParsedRecord, ParsedTarget } from './parsed-record.js';
import { changedNames } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { asArray, asObject, displayText, firstDisplay, parseTimestamp, resolveName, text } from './values.js';

/** True when a record looks like a Graph Intune `auditEvent`. */
export function isIntuneAuditEvent(raw: JsonObject): boolean {
  return 'activityType' in raw || 'componentName' in raw || ('resources' in raw && 'activityDateTime' in raw);
}

function actorDisplay(
  actor: JsonObject | undefined,
  names?: ReadonlyMap<string, string>,
): string | undefined {
  if (actor === undefined) return undefined;
  return (
    displayText(actor['userPrincipalName']) ??
    resolveName(names, text(actor['userId'])) ??
    firstDisplay(actor['applicationDisplayName'], actor['servicePrincipalName']) ??
    resolveName(names, text(actor['applicationId'])) ??
    firstDisplay(actor['userId'], actor['applicationId'])
  );
}

/** Reads a Graph `/deviceManagement/auditEvents` record (https://learn.microsoft.com/graph/api/resources/intune-auditing-auditevent). */
export function parseIntuneAuditEvent(raw: JsonObject, names?: ReadonlyMap<string, string>): ParsedRecord {
  const actor = asObject(raw['actor']);
  const targets: ParsedTarget[] = [];
  const changed: string[] = [];
  for (const entry of asArray(raw['resources'])) {
    const resource = asObject(entry);
    if (resource === undefined) continue;
    const id = displayText(resource['resourceId']);
    targets.push({
      display: displayText(resource['displayName']) ?? resolveName(names, id) ?? id,
      type: firstDisplay(resource['auditResourceType'], resource['type']),
      id,
      value: resource,
    });
    changedNames(resource['modifiedProperties'], 'displayName', changed);
  }
  const timestampText = text(raw['activityDateTime']);
  const timestamp = parseTimestamp(timestampText);
  // `activity` is often null; `activityType` carries the verb and the object type ("Create DeviceEnrollmentConfiguration").
  const operation = firstDisplay(raw['activityType'], raw['displayName'], raw['activity']);
  return {
    id: text(raw['id']),
    timestampText,
    timestamp,
    serviceKey: firstDisplay(raw['category'], raw['componentName']),
    operation,
    result: text(raw['activityResult']),
    actor: actor ?? {},
    actorDisplay: actorDisplay(actor, names),
    targets,
    changed,
    known: timestamp !== undefined && operation !== undefined,
  };
}
