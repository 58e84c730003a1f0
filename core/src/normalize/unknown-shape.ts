import type { ParsedRecord, ParsedTarget } from './parsed-record.js';
import type { JsonObject } from './values.js';
import { displayText, firstDisplay, isObject, parseTimestamp, text } from './values.js';

// Field names that audit formats commonly use, most specific first; matched without regard to case.
const ID_KEYS = ['id', 'auditeventid', 'eventid', 'recordid', 'uniqueid'];
const TIME_KEYS = [
  'activitydatetime',
  'createddatetime',
  'creationtime',
  'time',
  'timestamp',
  'eventtime',
  'timegenerated',
  'date',
];
const OPERATION_KEYS = [
  'activitydisplayname',
  'operation',
  'operationname',
  'activitytype',
  'activity',
  'action',
  'eventname',
];
const SERVICE_KEYS = ['category', 'workload', 'service', 'componentname', 'loggedbyservice'];
const RESULT_KEYS = ['result', 'resultstatus', 'activityresult', 'resulttype', 'status'];
const ACTOR_KEYS = [
  'userid',
  'userprincipalname',
  'upn',
  'actor',
  'initiatedby',
  'identity',
  'caller',
  'user',
];
const TARGET_KEYS = ['objectid', 'target', 'targetname', 'resource', 'targetresources', 'resources'];

function lowerKeyIndex(raw: JsonObject): Map<string, unknown> {
  const index = new Map<string, unknown>();
  for (const key in raw) {
    const lower = key.toLowerCase();
    if (!index.has(lower)) index.set(lower, raw[key]);
  }
  return index;
}

function pick(index: Map<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = index.get(key);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** A readable name inside a nested actor or target object (`{user: {userPrincipalName}}`, `{displayName}`...). */
function nestedName(value: unknown, depth = 0): string | undefined {
  if (depth > 2) return undefined;
  const direct = displayText(value);
  if (direct !== undefined) return direct;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = nestedName(item, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const index = lowerKeyIndex(value);
  const named = firstDisplay(
    index.get('userprincipalname'),
    index.get('upn'),
    index.get('displayname'),
    index.get('name'),
  );
  if (named !== undefined) return named;
  for (const child of index.values()) {
    if (!isObject(child) && !Array.isArray(child)) continue;
    const found = nestedName(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Best-effort reading of a record whose shape no parser recognized: common field names are looked up
 * case-insensitively so the event still has a time, an operation and an actor when the record offers them.
 */
export function parseUnknownShape(raw: JsonObject): ParsedRecord {
  const index = lowerKeyIndex(raw);
  const timestampText = text(pick(index, TIME_KEYS));
  const targetValue = pick(index, TARGET_KEYS);
  const targetDisplay = nestedName(targetValue);
  const targets: ParsedTarget[] =
    targetDisplay === undefined
      ? []
      : [{ display: targetDisplay, type: undefined, id: targetDisplay, value: { value: targetValue } }];
  const actorValue = pick(index, ACTOR_KEYS);
  return {
    id: text(pick(index, ID_KEYS)),
    timestampText,
    timestamp: parseTimestamp(timestampText),
    serviceKey: displayText(pick(index, SERVICE_KEYS)),
    operation: displayText(pick(index, OPERATION_KEYS)),
    result: text(pick(index, RESULT_KEYS)),
    actor: isObject(actorValue) ? actorValue : actorValue === undefined ? {} : { value: actorValue },
    actorDisplay: nestedName(actorValue),
    targets,
    changed: [],
    known: false,
  };
}
