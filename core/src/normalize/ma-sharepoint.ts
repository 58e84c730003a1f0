import type { ContentParts, ParsedTarget } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { displayText, isGuid, lastSegment, resolveName, text } from './values.js';

function decodeUrlPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `Audit.SharePoint` (SharePoint and OneDrive): the file, page or site acted on, and whoever it was shared with. */
export function sharePointParts(raw: JsonObject, names?: ReadonlyMap<string, string>): ContentParts {
  const targets: ParsedTarget[] = [];
  const objectId = displayText(raw['ObjectId']);
  const file = displayText(raw['SourceFileName']);
  if (file !== undefined || objectId !== undefined) {
    targets.push({
      display: file ?? (objectId === undefined ? undefined : decodeUrlPart(lastSegment(objectId))),
      type: displayText(raw['ItemType']),
      id: objectId,
      value: { ObjectId: raw['ObjectId'], SourceFileName: raw['SourceFileName'], ItemType: raw['ItemType'] },
    });
  }
  const grantee = displayText(raw['TargetUserOrGroupName']);
  if (grantee !== undefined) {
    targets.push({
      display: isGuid(grantee) ? (resolveName(names, grantee) ?? grantee) : grantee,
      type: text(raw['TargetUserOrGroupType']) ?? 'User',
      id: grantee,
      value: {
        TargetUserOrGroupName: raw['TargetUserOrGroupName'],
        TargetUserOrGroupType: raw['TargetUserOrGroupType'],
      },
    });
  }
  return { targets, changed: [] };
}
