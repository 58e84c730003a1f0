import type { ContentParts, ParsedTarget } from './parsed-record.js';
import { changedNames } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { asArray, asObject, displayText, isGuid, num, resolveName, text } from './values.js';

// `Target[].Type` identity kinds (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-schema#identitytypeenum);
// sources send the number or the number as a string.
const NAME = 1;
const UPN = 5;

function extendedProperty(raw: JsonObject, name: string): string | undefined {
  for (const entry of asArray(raw['ExtendedProperties'])) {
    const pair = asObject(entry);
    if (pair?.['Name'] === name) return displayText(pair['Value']);
  }
  return undefined;
}

function primaryTarget(raw: JsonObject, names?: ReadonlyMap<string, string>): string | undefined {
  const entries = asArray(raw['Target'])
    .map(asObject)
    .filter((e): e is JsonObject => e !== undefined);
  const byType = (kind: number) =>
    entries.find((e) => num(e['Type']) === kind && displayText(e['ID']) !== undefined);
  const upn = byType(UPN);
  if (upn !== undefined) return displayText(upn['ID']);
  const name = byType(NAME);
  if (name !== undefined) return displayText(name['ID']);
  for (const entry of entries) {
    const resolved = resolveName(names, text(entry['ID']));
    if (resolved !== undefined) return resolved;
  }
  const objectId = displayText(raw['ObjectId']);
  if (objectId !== undefined) return resolveName(names, objectId) ?? objectId;
  return (
    extendedProperty(raw, 'targetName') ??
    entries.map((e) => displayText(e['ID'])).find((id) => id !== undefined && isGuid(id))
  );
}

/** `Audit.AzureActiveDirectory`: sign-ins and directory changes; the target is the most readable `Target` identity. */
export function azureAdParts(raw: JsonObject, names?: ReadonlyMap<string, string>): ContentParts {
  const targets: ParsedTarget[] = [];
  const display = primaryTarget(raw, names);
  if (display !== undefined || asArray(raw['Target']).length > 0) {
    targets.push({
      display,
      type: undefined,
      id: text(raw['ObjectId']),
      value: { ObjectId: raw['ObjectId'], Target: raw['Target'] },
    });
  }
  return { targets, changed: changedNames(raw['ModifiedProperties'], 'Name') };
}
