import { isDirectoryAudit, parseDirectoryAudit } from './graph-directory.js';
import type { ParsedRecord, ParsedTarget } from './parsed-record.js';
import { changedNames } from './parsed-record.js';
import type { JsonObject } from './values.js';
import {
  asArray,
  asObject,
  displayText,
  firstDisplay,
  num,
  parseTimestamp,
  resolveName,
  text,
} from './values.js';

/**
 * True for an Azure Monitor diagnostic-settings record (Event Hub / storage export of Entra or Intune audit
 * logs): an envelope with `operationName` and `time` around the source's record in `properties`.
 */
export function isDiagnosticEnvelope(raw: JsonObject): boolean {
  return asObject(raw['properties']) !== undefined && ('operationName' in raw || 'time' in raw);
}

/** The Intune flavour of the envelope uses PascalCase fields and numeric enums. */
function parseIntuneProperties(
  envelope: JsonObject,
  props: JsonObject,
  names?: ReadonlyMap<string, string>,
): ParsedRecord {
  const actor = asObject(props['Actor']) ?? {};
  const ids = asArray(props['TargetObjectIds']);
  const shownNames = asArray(props['TargetDisplayNames']);
  const targets: ParsedTarget[] = [];
  const changed: string[] = [];
  asArray(props['Targets']).forEach((entry, index) => {
    const value = asObject(entry) ?? {};
    const id = displayText(ids[index]);
    // Sub-objects such as assignments are named `<null>`; they keep their place in `targets` but show nothing.
    const display = firstDisplay(value['Name'], shownNames[index]) ?? resolveName(names, id);
    targets.push({ display, type: undefined, id, value });
    changedNames(value['ModifiedProperties'], 'Name', changed);
  });
  const timestampText = text(envelope['time']) ?? text(props['ActivityDate']);
  const timestamp = parseTimestamp(timestampText);
  const operation = text(envelope['operationName']);
  const category = text(props['Category']);
  return {
    id: text(props['AuditEventId']),
    timestampText,
    timestamp,
    // The numeric `Category` enum is undocumented; only a named category is worth labelling.
    serviceKey: category !== undefined && num(category) === undefined ? category : undefined,
    operation,
    result: text(envelope['resultType']),
    actor,
    actorDisplay:
      firstDisplay(actor['UPN'], actor['Name']) ??
      resolveName(names, text(actor['ObjectId'])) ??
      firstDisplay(actor['ApplicationName'], envelope['identity']),
    targets,
    changed,
    known: timestamp !== undefined && operation !== undefined,
  };
}

/** Reads an Entra or Intune audit record wrapped in a diagnostic-settings envelope; `raw` stays the envelope. */
export function parseDiagnosticEnvelope(
  envelope: JsonObject,
  names?: ReadonlyMap<string, string>,
): ParsedRecord {
  const props = asObject(envelope['properties']) ?? {};
  if (isDirectoryAudit(props)) {
    const parsed = parseDirectoryAudit(props, names);
    if (parsed.timestamp !== undefined) return parsed;
    const timestampText = text(envelope['time']);
    const timestamp = parseTimestamp(timestampText);
    return {
      ...parsed,
      timestampText,
      timestamp,
      known: timestamp !== undefined && parsed.operation !== undefined,
    };
  }
  return parseIntuneProperties(envelope, props, names);
}
