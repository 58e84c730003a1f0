import type { ContentParts, ParsedTarget } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { asArray, asObject, displayText, firstDisplay, isGuid, resolveName, text } from './values.js';

const MEMBER_OPERATIONS = new Set(['memberadded', 'memberremoved', 'memberrolechanged']);

/** `Audit.General`: Teams (members, teams, channels) and the other workloads that share this content type. */
export function generalParts(raw: JsonObject, names?: ReadonlyMap<string, string>): ContentParts {
  const targets: ParsedTarget[] = [];
  const operation = (text(raw['Operation']) ?? '').toLowerCase();
  if (MEMBER_OPERATIONS.has(operation)) {
    for (const entry of asArray(raw['Members'])) {
      const member = asObject(entry);
      if (member === undefined) continue;
      const upn = displayText(member['UPN']);
      targets.push({
        display: upn ?? displayText(member['DisplayName']),
        type: 'User',
        id: upn,
        value: member,
      });
    }
    if (targets.length > 0) return { targets, changed: [] };
  }
  const team = displayText(raw['TeamName']);
  const channel = displayText(raw['ChannelName']);
  if (channel !== undefined) {
    targets.push({
      display: channel,
      type: 'Channel',
      id: displayText(raw['ChannelGuid']),
      value: { ChannelName: channel },
    });
  } else if (team !== undefined) {
    targets.push({
      display: team,
      type: 'Team',
      id: displayText(raw['TeamGuid']),
      value: { TeamName: team },
    });
  } else {
    const objectId = firstDisplay(raw['ObjectId'], raw['ItemName']);
    if (objectId !== undefined) {
      const display = isGuid(objectId) ? (resolveName(names, objectId) ?? objectId) : objectId;
      targets.push({ display, type: undefined, id: objectId, value: { ObjectId: objectId } });
    }
  }
  return { targets, changed: [] };
}
