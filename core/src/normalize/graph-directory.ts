import type { ParsedRecord, ParsedTarget } from './parsed-record.js';
import { changedNames } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { asArray, asObject, displayText, firstDisplay, parseTimestamp, resolveName, text } from './values.js';

/** True when a record looks like a Graph `directoryAudit`. */
export function isDirectoryAudit(raw: JsonObject): boolean {
  return 'activityDisplayName' in raw && ('initiatedBy' in raw || 'targetResources' in raw);
}

function actorDisplay(
  initiatedBy: JsonObject | undefined,
  names?: ReadonlyMap<string, string>,
): string | undefined {
  const user = asObject(initiatedBy?.['user']);
  if (user !== undefined) {
    const id = text(user['id']);
    const shown = firstDisplay(user['userPrincipalName'], user['displayName']) ?? resolveName(names, id);
    if (shown !== undefined) return shown;
  }
  const app = asObject(initiatedBy?.['app']);
  if (app !== undefined) {
    const shown =
      firstDisplay(app['displayName'], app['servicePrincipalName']) ??
      resolveName(names, text(app['servicePrincipalId'])) ??
      resolveName(names, text(app['appId'])) ??
      firstDisplay(app['appId'], app['servicePrincipalId']);
    if (shown !== undefined) return shown;
  }
  // A user with only an id: better the id than nothing, unless it is the all-zero placeholder.
  return displayText(asObject(initiatedBy?.['user'])?.['id']);
}

function target(resource: JsonObject, names?: ReadonlyMap<string, string>): ParsedTarget {
  // The documented key is `type`, but real responses (and Microsoft's own sample) also use `Type`.
  const type = displayText(resource['type']) ?? displayText(resource['Type']);
  const id = displayText(resource['id']);
  const upn = displayText(resource['userPrincipalName']);
  const name = displayText(resource['displayName']);
  const isUser = type?.toLowerCase() === 'user';
  const display = (isUser ? (upn ?? name) : (name ?? upn)) ?? resolveName(names, id) ?? id;
  return { display, type, id, value: resource };
}

/** Reads a Graph `/auditLogs/directoryAudits` record (https://learn.microsoft.com/graph/api/resources/directoryaudit). */
export function parseDirectoryAudit(raw: JsonObject, names?: ReadonlyMap<string, string>): ParsedRecord {
  // One published sample carries `createdDateTime` instead of `activityDateTime`.
  const timestampText = text(raw['activityDateTime']) ?? text(raw['createdDateTime']);
  const initiatedBy = asObject(raw['initiatedBy']);
  const targets: ParsedTarget[] = [];
  const changed: string[] = [];
  for (const entry of asArray(raw['targetResources'])) {
    const resource = asObject(entry);
    if (resource === undefined) continue;
    targets.push(target(resource, names));
    changedNames(resource['modifiedProperties'], 'displayName', changed);
  }
  const timestamp = parseTimestamp(timestampText);
  const operation = text(raw['activityDisplayName']);
  return {
    id: text(raw['id']),
    timestampText,
    timestamp,
    serviceKey: text(raw['category']) ?? text(raw['loggedByService']),
    operation,
    result: text(raw['result']),
    actor: initiatedBy ?? {},
    actorDisplay: actorDisplay(initiatedBy, names),
    targets,
    changed,
    known: timestamp !== undefined && operation !== undefined,
  };
}
